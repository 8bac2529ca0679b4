"""The figures core's time against its own SQL replayed raw (issue #20), for the benches.

`figures_core_vs_sql` computes `place_figures` for a place and period several times, capturing
its statements (SQL and parameters) once, then replays exactly those statements on the raw
DB-API cursor – no Django, no Python around them – and returns both medians. The ratio is what
the figures core costs beyond the database's own work. Interleaved run by run, because the
machine may be shared.
"""

import re
import statistics
import time

from django.db import connection

from safety.figures import place_figures


def _capture(place, start, end) -> list[tuple[str, object]]:
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        place_figures(place=place, start=start, end=end)
    return statements


def _raw_sql(sql: str) -> str:
    """The SQL as the DB-API driver takes it: SQLite's uses ? for Django's %s."""
    if connection.vendor == "sqlite":
        return re.sub(r"(?<!%)%s", "?", sql).replace("%%", "%")
    return sql


def _replay(statements) -> float:
    statements = [(_raw_sql(sql), params) for sql, params in statements]
    raw = connection.connection.cursor()
    started = time.perf_counter()
    for sql, params in statements:
        if params is None:
            raw.execute(sql)
        else:
            raw.execute(sql, params)
        if raw.description:
            raw.fetchall()
    elapsed = time.perf_counter() - started
    raw.close()
    return elapsed * 1000


def figures_core_vs_sql(place, start, end, *, runs: int = 7) -> dict:
    """{core_ms, sql_ms, ratio, queries} as medians over `runs` interleaved runs."""
    connection.ensure_connection()
    statements = _capture(place, start, end)
    core, sql = [], []
    for _run in range(runs):
        started = time.perf_counter()
        place_figures(place=place, start=start, end=end)
        core.append((time.perf_counter() - started) * 1000)
        sql.append(_replay(statements))
    core_ms, sql_ms = statistics.median(core), statistics.median(sql)
    return {
        "core_ms": core_ms,
        "sql_ms": sql_ms,
        "ratio": core_ms / sql_ms if sql_ms else None,
        "queries": len(statements),
    }


def describe(label: str, result: dict) -> str:
    ratio = f"{result['ratio']:.2f}×" if result["ratio"] else "–"
    return (
        f"{label:28} figures core p50 {result['core_ms']:6.1f} ms | its SQL replayed raw "
        f"{result['sql_ms']:6.1f} ms | ratio {ratio} | {result['queries']} queries"
    )
