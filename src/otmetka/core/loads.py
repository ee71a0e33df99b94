"""Model instances from the rows of a hand-written query, as the ORM would build them.

A query written by hand (its text built once per shape) saves compiling the ORM's SQL on every
request; `columns` names a model's concrete fields in the select list and `instance` builds the
instance from those values through the same converters the ORM applies (the backend's — dates,
decimals, booleans on SQLite — and the field's own `from_db_value`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


@cache
def _names(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def columns(model: type[models.Model], alias: str) -> str:
    """The select list of the model's concrete fields, in `instance`'s order."""
    qn = connection.ops.quote_name
    return ", ".join(f"{alias}.{qn(str(f.column))}" for f in model._meta.concrete_fields)


def width(model: type[models.Model]) -> int:
    """How many values of a row `columns` selects."""
    return len(_names(model))


@cache
def _converted(model: type[models.Model], vendor: str) -> list[tuple[int, Any]]:
    """The (position, column) of the fields whose values the ORM converts on this database."""
    found = []
    for i, field in enumerate(model._meta.concrete_fields):
        col = field.get_col(model._meta.db_table)
        if connection.ops.get_db_converters(col) or col.get_db_converters(connection):
            found.append((i, col))
    return found


def instance(model: type[M], values: Sequence[Any]) -> M:
    """The instance of `model` from the values `columns` selected."""
    converted = list(values)
    for i, col in _converted(model, connection.vendor):
        if converted[i] is None:
            continue
        for convert in connection.ops.get_db_converters(col) + col.get_db_converters(connection):
            converted[i] = convert(converted[i], col, connection)
    return model.from_db(connection.alias, _names(model), converted)
