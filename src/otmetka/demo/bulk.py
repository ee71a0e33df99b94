"""Rows appended to tables by the fastest path of the database: COPY on PostgreSQL, one prepared
INSERT run over all rows on SQLite.

The generator of a region writes tens of millions of lessons, marks and absences; Django's
`bulk_create` spends ~90% of its time building SQL and model instances, not in the database.
Here the caller gives plain tuples of column values (attnames, in the order it names them) and
every other column of the table gets its field's default once. Ids are reserved in blocks, so a
row can be referred to before it is written (a mark names its lesson).

Only for generated data in an installation the generator owns: no model validation, no signals,
no audit events.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models


@dataclass
class _Table:
    """One model's target: the columns the caller gives, the constant tail of every row."""

    sql_name: str
    given: tuple[str, ...]
    fixed_columns: tuple[str, ...]
    fixed_values: tuple[Any, ...]
    adapt: tuple[Callable[[Any], Any] | None, ...]  # per given column, None: as it is


@dataclass
class BulkWriter:
    """Writes generated rows; counts them for the progress line and the load rate."""

    now: datetime.datetime
    written: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    _tables: dict[tuple[type, tuple[str, ...]], _Table] = field(default_factory=dict)
    _next_id: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.written.values())

    def ids(self, model: type[models.Model], count: int) -> int:
        """Reserve `count` consecutive ids of `model`; the first of them."""
        table = model._meta.db_table
        if count <= 0:
            return 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s)", [sequence])
                first = cursor.fetchone()[0]
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
                return first
            if table not in self._next_id:
                qn = connection.ops.quote_name
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {qn(table)}")
                highest = cursor.fetchone()[0]
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                found = cursor.fetchone()
                self._next_id[table] = max(highest, found[0] if found else 0) + 1
        first = self._next_id[table]
        self._next_id[table] += count
        return first

    def write(
        self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> int:
        """Append `rows` (tuples of the attnames `columns`) to the model's table; how many.
        Without "id" among the columns the database numbers the rows."""
        table = self._table(model, tuple(columns))
        if connection.vendor == "postgresql":
            count = self._copy(table, rows)
        else:
            count = self._insert(table, rows)
        self.written[model.__name__] = self.written.get(model.__name__, 0) + count
        return count

    def write_objects(self, model: type[models.Model], objects: Sequence[models.Model]) -> int:
        """Append unsaved instances that already have their ids, every concrete column."""
        names = tuple(f.attname for f in model._meta.concrete_fields)
        return self.write(model, names, ([getattr(o, n) for n in names] for o in objects))

    def _table(self, model: type[models.Model], given: tuple[str, ...]) -> _Table:
        key = (model, given)
        if key not in self._tables:
            by_attname = {f.attname: f for f in model._meta.concrete_fields}
            unknown = set(given) - set(by_attname)
            if unknown:
                raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
            rest = [f for f in model._meta.concrete_fields if f.attname not in given]
            rest = [f for f in rest if not f.primary_key]
            self._tables[key] = _Table(
                sql_name=model._meta.db_table,
                # Concrete fields always have a column (the stubs allow None for any field).
                given=tuple(by_attname[n].column for n in given),  # type: ignore[misc]
                fixed_columns=tuple(f.column for f in rest),  # type: ignore[misc]
                fixed_values=tuple(self._db_value(f, self._default(f)) for f in rest),
                adapt=tuple(self._adapter(by_attname[n]) for n in given),
            )
        return self._tables[key]

    def _default(self, f: models.Field) -> Any:
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
            return self.now
        if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add):
            return self.now.date()
        if not f.has_default() and not f.null and not f.empty_strings_allowed:
            raise ValueError(f"{f.model.__name__}.{f.name} needs a value: it has no default")
        return f.get_default()

    def _db_value(self, f: models.Field, value: Any) -> Any:
        if value is None or connection.vendor == "postgresql":
            return value
        return f.get_db_prep_save(value, connection)

    def _adapter(self, f: models.Field) -> Callable[[Any], Any] | None:
        """SQLite stores dates, times, datetimes and decimals as Django formats them."""
        if connection.vendor == "postgresql":
            return None
        if isinstance(f, models.DateTimeField | models.DateField | models.TimeField):
            seen: dict[Any, Any] = {None: None}  # generated rows repeat a few moments a lot

            def adapt(value: Any) -> Any:
                if value not in seen:
                    if len(seen) > 100_000:
                        seen.clear()
                        seen[None] = None
                    seen[value] = f.get_db_prep_save(value, connection)
                return seen[value]

            return adapt
        if isinstance(f, models.DecimalField):
            return lambda v: None if v is None else str(v)
        return None

    def _copy(self, table: _Table, rows: Iterable[Sequence[Any]]) -> int:
        qn = connection.ops.quote_name
        columns = ", ".join(qn(c) for c in (*table.given, *table.fixed_columns))
        fixed = table.fixed_values
        count = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
            with raw.copy(f"COPY {qn(table.sql_name)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *fixed))
                    count += 1
        return count

    def _insert(self, table: _Table, rows: Iterable[Sequence[Any]]) -> int:
        qn = connection.ops.quote_name
        names = (*table.given, *table.fixed_columns)
        sql = (
            f"INSERT INTO {qn(table.sql_name)} ({', '.join(qn(c) for c in names)}) "
            f"VALUES ({', '.join('?' * len(names))})"
        )
        fixed = table.fixed_values
        adapt = [(i, a) for i, a in enumerate(table.adapt) if a is not None]
        values = [(*(_adapted(row, adapt) if adapt else row), *fixed) for row in rows]
        connection.ensure_connection()
        connection.connection.executemany(sql, values)
        return len(values)


def _adapted(row: Sequence[Any], adapt: list[tuple[int, Callable[[Any], Any]]]) -> tuple[Any, ...]:
    values = list(row)
    for i, convert in adapt:
        values[i] = convert(values[i])
    return tuple(values)
