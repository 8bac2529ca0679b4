"""Read queries written as SQL where building them through the ORM costs more than the
database's answer (issue #20): the statement the ORM would build, run on the connection the
ORM would read from, its values made what the ORM would make of them.

    rows = read(FundingCommitment, "SELECT … WHERE place_id = %s AND day >= %s", [pk, day])
    sek = converter(FundingCommitment._meta.get_field("amount_sek"), model=FundingCommitment)
    columns, make = instances(PlannedActivity)  # what to select; a row made an instance

A statement that applies a rule with one definition elsewhere (a model's Q) is not written by
hand: `compiled` lets the ORM build it once per process and database and runs its SQL again
with other values.

Parameters go through `param` (a date or datetime as the backend stores it: SQLite keeps text,
in UTC for datetimes); values come back through `converter` (the backend's converters of the
field: SQLite's decimals arrive as floats, its datetimes and durations as text and
microseconds).
"""

import datetime as dt

from django.db import connections, router
from django.db.models import Value


def connection_for(model):
    """The connection the ORM reads `model` from (the replica inside `replica_reads`)."""
    return connections[router.db_for_read(model)]


def read(model, sql: str, params) -> list[tuple]:
    with connection_for(model).cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def quote(name: str) -> str:
    """A column or table name quoted for the default backend (e.g. "count", a keyword)."""
    return connections["default"].ops.quote_name(name)


def param(model, value):
    """A date or datetime as the ORM passes it to the backend; anything else as it is."""
    ops = connection_for(model).ops
    if isinstance(value, dt.datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return ops.adapt_datefield_value(value)
    return value


def converter(field, *, model, expression=None):
    """A function turning a raw value of `field` (a model field, or an unbound output field such
    as a DurationField for a difference of datetimes) into what the ORM returns. With
    `expression` (a selected expression whose output field is `field`), what the ORM makes of
    that expression's value (an aggregate's: e.g. a sum not rounded to the field's places)."""
    db, expression, converters = _converters(field, model=model, expression=expression)

    def convert(value):
        for function in converters:
            value = function(value, expression, db)
        return value

    return convert


def _converters(field, *, model, expression=None) -> tuple:
    """(connection, expression, the converters `converter` applies)."""
    db = connection_for(model)
    if expression is None:
        expression = field.cached_col if getattr(field, "model", None) else Value(None, field)
        converters = db.ops.get_db_converters(expression) + field.get_db_converters(db)
    else:
        converters = db.ops.get_db_converters(expression) + expression.get_db_converters(db)
    return db, expression, converters


def instances(model, only=None):
    """(columns, make): the model's concrete columns to select, in order, and a function making
    an instance from their raw values, as the ORM would (converters, then `Model.from_db`).
    With `only` (attribute names), just those columns: the others deferred, as `.only()`."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if only is None or field.primary_key or field.attname in only or field.name in only
    ]
    convert = [converter(field, model=model) for field in fields]
    names = [field.attname for field in fields]
    alias = connection_for(model).alias

    def make(values):
        return model.from_db(
            alias, names, [to_orm(value) for to_orm, value in zip(convert, values, strict=True)]
        )

    return [field.column for field in fields], make


# --- Statements built once by the ORM --------------------------------------------------------

# Two sets of stand-ins per kind of value: a statement is compiled with each, and only a
# parameter that is the stand-in in both compiles (at the same position, with everything else
# equal) is the value's. A constant that happens to equal one stand-in, a value the ORM
# derived from one (a date made a datetime, a `%…%` of a `contains`) or written into the SQL
# text would differ between the two compiles, and the helper refuses it. Integers stay within
# a small integer column's range: the ORM drops a comparison with a value out of range.
_STAND_INS = {
    int: ((31_991, 31_993, 31_997, 31_999), (29_989, 29_983, 29_977, 29_971)),
    dt.date: (
        tuple(dt.date(2991, 3, 7 + i) for i in range(4)),
        tuple(dt.date(2893, 5, 11 + i) for i in range(4)),
    ),
    dt.datetime: (
        tuple(dt.datetime(2997, 9, 13 + i, 1, 2, 3, 4, tzinfo=dt.UTC) for i in range(4)),
        tuple(dt.datetime(2899, 11, 17 + i, 5, 6, 7, 8, tzinfo=dt.UTC) for i in range(4)),
    ),
}

_compiled: dict = {}


def _stand_ins(kinds: dict, which: int) -> dict:
    used = dict.fromkeys(_STAND_INS, 0)
    values = {}
    for name, kind in kinds.items():
        if kind not in _STAND_INS or used[kind] >= len(_STAND_INS[kind][which]):
            raise ValueError(f"no stand-in for {name} ({kind!r})")
        values[name] = _STAND_INS[kind][which][used[kind]]
        used[kind] += 1
    return values


def _same(a, b) -> bool:
    return type(a) is type(b) and a == b


def _is(parameter, stand_in) -> bool:
    """Whether a compiled parameter is the stand-in: the same value, maybe in a type of the
    backend's that says which column type it binds to (psycopg's Int2 for a small integer)."""
    return isinstance(parameter, type(stand_in)) and parameter == stand_in


class Compiled:
    """A statement the ORM built once, run again with other values (see `compiled`)."""

    def __init__(self, model, sql, params, positions, expressions, names):
        self.model = model
        self.sql = sql
        self.params = params
        self.positions = positions  # parameter index → (the value's name, the backend's type)
        self.expressions = expressions  # the selected expressions, for their converters
        self.names = names  # the selected columns' names

    def rows(self, **values) -> list[tuple]:
        """Every row, its values made what the ORM would make of them."""
        expected = {name for name, _wrap in self.positions.values()}
        if values.keys() != expected:
            raise TypeError(f"values for {sorted(expected)} expected")
        params = list(self.params)
        for index, (name, wrap) in self.positions.items():
            value = param(self.model, values[name])
            params[index] = value if wrap is None else wrap(value)
        rows = read(self.model, self.sql, params)
        # Only the columns that have converters are touched (most have none on PostgreSQL):
        # a map's few hundred rows are then taken as the database returned them.
        converted = []
        for position, expression in enumerate(self.expressions):
            _db, _expression, converters = _converters(
                expression.output_field, model=self.model, expression=expression
            )
            if converters:
                converted.append(
                    (
                        position,
                        converter(expression.output_field, model=self.model, expression=expression),
                    )
                )
        if not converted:
            return [tuple(row) for row in rows]
        result = []
        for row in rows:
            values = list(row)
            for position, to_orm in converted:
                values[position] = to_orm(values[position])
            result.append(tuple(values))
        return result

    def dicts(self, **values) -> list[dict]:
        return [dict(zip(self.names, row, strict=True)) for row in self.rows(**values)]


def compiled(key: str, model, build, **kinds) -> Compiled:
    """The statement of `build(**values)` (a QuerySet of `model`) compiled by the ORM once per
    process and database, to run with other values: `kinds` names each value's type (int,
    dt.date or dt.datetime), and `build` is called with stand-ins for them. The rule a
    statement applies keeps its one definition (a model's Q); only the building is saved.

        summary = compiled("totals", Item, lambda place, on: Item.objects.filter(...), place=int,
                           on=dt.date)
        [row] = summary.dicts(place=place.pk, on=today)

    `build` must use the values as they are (no arithmetic on them, no None) and must not
    depend on anything else that changes (settings, the day). For totals without grouping,
    build `.values(one=Value(1)).annotate(total=…)`: one row, like `.aggregate()`.
    """
    db = connection_for(model)
    cache_key = (key, db.alias, db.vendor)
    statement = _compiled.get(cache_key)
    if statement is None:
        statement = _compiled[cache_key] = _compile(db, model, build, kinds)
    return statement


_KINDS = {int: int, dt.date: dt.date, dt.datetime: dt.datetime}


def rows_for_viewer(key: str, model, build, *, user, **values) -> list[tuple]:
    """The rows of a statement whose access rule depends on who reads it (a `visible_to`):
    compiled once for staff, as `build(user=None, **values)`, and once for everyone else, as
    `build(user=<their key>, **values)` – `build` makes the person from that key
    (`User.stand_in`). Each value's kind (int, date or datetime) is taken from the value."""
    kinds = {name: _KINDS[type(value)] for name, value in values.items()}
    if user.is_staff:
        return compiled(f"{key}.staff", model, build, **kinds).rows(**values)
    return compiled(key, model, build, **kinds, user=int).rows(**values, user=user.pk)


def _compile(db, model, build, kinds) -> Compiled:
    compiles = []
    for which in (0, 1):
        values = _stand_ins(kinds, which)
        compiler = build(**values).query.get_compiler(using=db.alias)
        sql, params = compiler.as_sql()
        adapted = {name: param(model, value) for name, value in values.items()}
        compiles.append((compiler, sql, list(params), adapted))
    (compiler, sql, params, first), (_, other_sql, other_params, second) = compiles
    if sql != other_sql or len(params) != len(other_params):
        raise ValueError("the statement's SQL depends on the values: it cannot be reused")
    positions = {}
    for index, (a, b) in enumerate(zip(params, other_params, strict=True)):
        names = [name for name in kinds if _is(a, first[name]) and _is(b, second[name])]
        if len(names) == 1 and type(a) is type(b):
            # Run with the backend's type of the compiled parameter (see `_is`).
            positions[index] = (names[0], None if type(a) is type(first[names[0]]) else type(a))
        elif names:
            raise ValueError(f"parameter {index} is not one value's alone: {names}")
        elif not _same(a, b):
            raise ValueError(f"parameter {index} ({a!r}) is derived from a value")
    missing = set(kinds) - {name for name, _wrap in positions.values()}
    if missing:
        raise ValueError(f"values not found in the statement's parameters: {sorted(missing)}")
    selected = compiler.select
    return Compiled(
        model,
        sql,
        params,
        positions,
        [expression for expression, _sql, _alias in selected],
        [alias or expression.target.attname for expression, _sql, alias in selected],
    )
