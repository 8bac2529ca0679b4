"""Daily rollups kept by database triggers (issue #20).

A rollup is a small table of sums per place and LOCAL day (settings.TIME_ZONE, Europe/Stockholm)
that the figures core reads instead of the raw rows: incidents (safety), activities (places) and
survey answers (surveys). Each raw table carries row triggers that add a row's contribution to
its rollup row on INSERT, take it away on DELETE and do both on an UPDATE of a column that
matters – in the same statement, so in the same transaction, as every write: services, the
admin, imports, the API, retention, `QuerySet.update()`, `bulk_create`, COPY and cascading
deletes alike. `manage.py rebuild_rollups` recomputes every rollup from the raw tables.

Why triggers on both databases: a Python signal misses `QuerySet.update()`, bulk deletes and raw
SQL, and a `local_day` column set on save() would miss them too. The local day is computed in
the database:

- PostgreSQL: a plpgsql trigger function, `(t AT TIME ZONE '<TIME_ZONE>')::date` and its hour.
- SQLite has no time-zone functions, but Django registers its own deterministic SQL functions on
  every SQLite connection (`django_datetime_cast_date`, `django_datetime_extract`, written in
  Python with zoneinfo) – the very functions its `TruncDate(tzinfo=…)` uses – and SQLite
  triggers may call them. So the rollup's local day is by construction the day Django's raw
  queries compute. (A write through another SQLite client, without those functions, fails with
  "no such function" rather than leaving a wrong rollup.)

Rollup rows never hold text or people: ids of the place, category, kind or survey, a date, an
hour and counts/sums. A row whose counts fall to zero stays (deleting it in a trigger would race
with a concurrent insert on PostgreSQL); zero rows add nothing and `rebuild_rollups` drops them.
A deleted place's rows go with it (`forget_place`): nothing can write for that place again.

The triggers are (re)installed by each app's migration and after every `migrate`
(post_migrate), so a changed TIME_ZONE takes effect with `migrate` + `rebuild_rollups`.
Backups with `dumpdata` should leave the rollups out (`--exclude safety.IncidentDay --exclude
safety.IncidentHour --exclude places.ActivityDay --exclude surveys.AnswerDay`): `loaddata`'s
inserts fire the triggers and rebuild them (or run `rebuild_rollups` after a restore with
triggers off, e.g. pg_restore --disable-triggers).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection as default_connection


def local_date(column: str, connection) -> str:
    """SQL for the local date of an aware datetime column."""
    tz = settings.TIME_ZONE
    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE '{tz}')::date"
    return f"django_datetime_cast_date({column}, '{tz}', '{connection.timezone_name}')"


def local_hour(column: str, connection) -> str:
    """SQL for the local hour (0–23) of an aware datetime column."""
    tz = settings.TIME_ZONE
    if connection.vendor == "postgresql":
        return f"EXTRACT(HOUR FROM ({column}) AT TIME ZONE '{tz}')::integer"
    return f"django_datetime_extract('hour', {column}, '{tz}', '{connection.timezone_name}')"


def flag(condition: str) -> str:
    """1 when the SQL condition holds, else 0 (booleans are 0/1 on SQLite, true/false on PG)."""
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


@dataclass
class Rollup:
    """One rollup table fed by one raw table.

    `select(row, sign, connection)` returns a SELECT (always with a WHERE clause: SQLite needs it
    before ON CONFLICT) of the rollup's key columns then its value columns for the raw row
    `row` ("NEW" or "OLD"), each value multiplied by `sign` (1 or -1). `watch` lists the raw
    columns whose change moves or changes a row's contribution (UPDATE OF).
    """

    name: str
    source: str
    target: str
    keys: list[str]
    values: list[str]
    watch: list[str]
    select: callable
    rebuild: callable  # (connection) → INSERT INTO target … SELECT … GROUP BY … from the raw rows
    # Further triggers on other tables that move contributions (e.g. a response's day): each a
    # (name, table, watch, select) whose select is like `select` above.
    movers: list[tuple] = field(default_factory=list)


def _upsert(rollup: Rollup, select_sql: str) -> str:
    columns = ", ".join(rollup.keys + rollup.values)
    conflict = ", ".join(rollup.keys)
    sets = ", ".join(
        f"{value} = {rollup.target}.{value} + excluded.{value}" for value in rollup.values
    )
    return (
        f"INSERT INTO {rollup.target} ({columns}) {select_sql} "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {sets}"
    )


def _trigger_sql(rollup, name, table, watch, select, connection) -> list[str]:
    old = _upsert(rollup, select("OLD", -1, connection))
    new = _upsert(rollup, select("NEW", 1, connection))
    watched = ", ".join(watch)
    # An UPDATE counts only when a watched column really changed: Django's save() writes every
    # column, and most saves change nothing a rollup holds.
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    changed = " OR ".join(f"OLD.{column} {differs} NEW.{column}" for column in watch)
    if connection.vendor == "postgresql":
        function = f"amp_rollup_{name}"
        return [
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
        {old};
    END IF;
    IF TG_OP = 'UPDATE' OR TG_OP = 'INSERT' THEN
        {new};
    END IF;
    RETURN NULL;
END
$$""",
            f"DROP TRIGGER IF EXISTS {function} ON {table}",
            f"DROP TRIGGER IF EXISTS {function}_update ON {table}",
            f"CREATE TRIGGER {function} AFTER INSERT OR DELETE "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()",
            f"CREATE TRIGGER {function}_update AFTER UPDATE OF {watched} ON {table} "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {function}()",
        ]
    statements = []
    for event, when, body in (
        ("INSERT", "", [new]),
        ("DELETE", "", [old]),
        (f"UPDATE OF {watched}", f" WHEN {changed}", [old, new]),
    ):
        trigger = f"amp_rollup_{name}_{event.split()[0].lower()}"
        statements.append(f"DROP TRIGGER IF EXISTS {trigger}")
        statements.append(
            f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW{when} BEGIN "
            + "; ".join(body)
            + "; END"
        )
    return statements


def trigger_statements(rollup: Rollup, connection) -> list[str]:
    statements = []
    if rollup.source:
        statements += _trigger_sql(
            rollup, rollup.name, rollup.source, rollup.watch, rollup.select, connection
        )
    for name, table, watch, select in rollup.movers:
        statements += _trigger_sql(rollup, name, table, watch, select, connection)
    return statements


def install(rollups, connection=None) -> None:
    """Create or replace the rollups' triggers (idempotent)."""
    connection = connection or default_connection
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"Rollup triggers for {connection.vendor}")
    with connection.cursor() as cursor:
        for rollup in rollups:
            for statement in trigger_statements(rollup, connection):
                cursor.execute(statement)


def rebuild(rollups, connection=None) -> dict[str, int]:
    """Recompute each rollup from its raw table: {target table: rows}. Run it in a transaction
    (the command does) so no write slips between the delete and the insert. The rows are
    inserted in key order, so a place's days lie together on disk and a period's rows are few
    pages."""
    connection = connection or default_connection
    counts = {}
    with connection.cursor() as cursor:
        for rollup in rollups:
            cursor.execute(f"DELETE FROM {rollup.target}")
            cursor.execute(rollup.rebuild(connection))
            cursor.execute(f"SELECT COUNT(*) FROM {rollup.target}")
            counts[rollup.target] = cursor.fetchone()[0]
    return counts


# Every app's rollups, registered from its AppConfig.ready() (`register`), so that
# `rebuild_rollups` finds them without places importing its dependants.
REGISTRY: list = []


def registered_rollups() -> list[Rollup]:
    return [rollup for get_rollups in REGISTRY for rollup in get_rollups()]


def register(app_config, get_rollups) -> None:
    """Register an app's rollups and (re)install their triggers after every migrate."""
    from django.db.models.signals import post_migrate

    if get_rollups not in REGISTRY:
        REGISTRY.append(get_rollups)
    post_migrate.connect(
        post_migrate_installer(get_rollups),
        sender=app_config,
        dispatch_uid=f"{app_config.label}.rollup_triggers",
    )


def forget_place(sender, instance, using="default", **kwargs) -> None:
    """A post_delete receiver for Place: the place's rollup rows go too. The cascade's deletes
    of its raw rows brought them to zero, and no raw row can name the place again; left
    behind, a city's deleted places would be most of a rollup's rows (and of its admin list)."""
    from django.db import connections

    with connections[using].cursor() as cursor:
        for rollup in registered_rollups():
            if "place_id" in rollup.keys:
                cursor.execute(f"DELETE FROM {rollup.target} WHERE place_id = %s", [instance.pk])


def _clear_after_flush(rollups, connection) -> None:
    """Empty a rollup whose raw tables are all empty. `flush` (which emits post_migrate) deletes
    table by table in no set order; on SQLite a DELETE fires the row triggers, so raw rows
    deleted after their rollup would leave negative rows behind. (PostgreSQL truncates without
    firing them.) Outside a flush the raw tables are not empty and nothing happens."""
    with connection.cursor() as cursor:
        for rollup in rollups:
            sources = [rollup.source, *(table for _name, table, _watch, _select in rollup.movers)]
            empty = True
            for table in sources:
                cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")
                empty = empty and cursor.fetchone() is None
            if empty:
                cursor.execute(f"DELETE FROM {rollup.target}")


def post_migrate_installer(get_rollups):
    """A post_migrate receiver installing an app's rollup triggers on the migrated database."""

    def receiver(sender, using="default", plan=None, **kwargs):
        from django.db import connections

        connection = connections[using]
        rollups = get_rollups()
        tables = set(connection.introspection.table_names())
        if all(rollup.target in tables for rollup in rollups):
            install(rollups, connection)
            _clear_after_flush(rollups, connection)

    return receiver


# --- Activities ---------------------------------------------------------------------------------


def activity_rollups() -> list[Rollup]:
    from .models import Activity, ActivityDay

    source, target = Activity._meta.db_table, ActivityDay._meta.db_table

    def select(row, sign, connection):
        return (
            f"SELECT {row}.place_id, {local_date(f'{row}.started_at', connection)}, "
            f"{row}.kind_id, {sign}, {sign} * {row}.duration_minutes, "
            f"{sign} * {row}.participants_count WHERE 1 = 1"
        )

    def rebuild(connection):
        return (
            f"INSERT INTO {target} (place_id, day, kind_id, count, minutes, participants) "
            f"SELECT place_id, {local_date('started_at', connection)}, kind_id, COUNT(*), "
            f"SUM(duration_minutes), SUM(participants_count) FROM {source} "
            f"GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        )

    return [
        Rollup(
            name="activity_day",
            source=source,
            target=target,
            keys=["place_id", "day", "kind_id"],
            values=["count", "minutes", "participants"],
            watch=["place_id", "kind_id", "started_at", "duration_minutes", "participants_count"],
            select=select,
            rebuild=rebuild,
        )
    ]
