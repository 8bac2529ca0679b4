"""Read queries written as SQL where building them through the ORM costs more than the
database's answer (issue #20): the statement the ORM would build, run on the connection the
ORM would read from, its values made what the ORM would make of them.

    rows = read(FundingCommitment, "SELECT … WHERE place_id = %s AND day >= %s", [pk, day])
    sek = converter(FundingCommitment._meta.get_field("amount_sek"), model=FundingCommitment)
    columns, make = instances(PlannedActivity)  # what to select; a row made an instance

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


def converter(field, *, model):
    """A function turning a raw value of `field` (a model field, or an unbound output field such
    as a DurationField for a difference of datetimes) into what the ORM returns."""
    db = connection_for(model)
    expression = field.cached_col if getattr(field, "model", None) else Value(None, field)
    converters = db.ops.get_db_converters(expression) + field.get_db_converters(db)

    def convert(value):
        for function in converters:
            value = function(value, expression, db)
        return value

    return convert


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
