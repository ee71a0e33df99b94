"""Unsaved model instances inserted by one hand-written multi-row `INSERT … RETURNING id`,
instances read from a hand-written SELECT (`select_list`, `from_row`) with the ORM's converters,
and instances built from values by attribute name (`instance`) without `Model.__init__`'s loop.

Django's `bulk_create` compiles its SQL field by field on every call (a third of a mark save's
database time was that). Here the statement's text is built once per model and row count, the
values are the fields' own database preparation (`pre_save` then `get_db_prep_save`: defaults,
`auto_now_add`, JSON, dates as the backend stores them), and the ids come back in the rows'
order, as with `bulk_create`. The same as `bulk_create` otherwise: no validation, no signals;
the database's constraints and triggers apply.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models.base import ModelState
from django.db.models.expressions import DatabaseDefault
from django.db.models.signals import post_init, pre_init
from django.dispatch.dispatcher import NO_RECEIVERS

M = TypeVar("M", bound=models.Model)
PARAMETERS = 30_000  # per statement: SQLite allows 32,766 since 3.32


@cache
def table(model: Any) -> str:
    """A model's table name, quoted for hand-written SQL."""
    return connection.ops.quote_name(model._meta.db_table)


@cache
def _fields(model: type[models.Model]) -> tuple[models.Field[Any, Any], ...]:
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key)


@cache
def _sql(model: type[models.Model], rows: int, vendor: str) -> str:
    del vendor  # one text per database: quote_name is the backend's
    qn = connection.ops.quote_name
    fields = _fields(model)
    columns = ", ".join(qn(str(f.column)) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pk = qn(str(model._meta.pk.column)) if model._meta.pk is not None else "id"
    return (
        f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES "
        f"{', '.join([row] * rows)} RETURNING {pk}"
    )


# Field classes (exactly these, not subclasses) whose `pre_save` reads the attribute and whose
# `get_db_prep_save` gives a value of the paired type (or None) back unchanged.
_INT_FIELDS = (
    models.IntegerField, models.BigIntegerField, models.SmallIntegerField,
    models.PositiveIntegerField, models.PositiveBigIntegerField, models.PositiveSmallIntegerField,
    models.AutoField, models.BigAutoField, models.SmallAutoField,
)  # fmt: skip
_PLAIN: dict[type, type] = {
    **dict.fromkeys(_INT_FIELDS, int),
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
}


def _plain_type(f: models.Field[Any, Any]) -> type | None:
    """The type whose values go to the database as they are, for `f` (None: always prepare)."""
    if type(f) is models.ForeignKey:
        return _PLAIN.get(type(f.target_field))
    return _PLAIN.get(type(f))


# A `DateTimeField`'s value (exactly that class): stamped first when `auto_now`/`auto_now_add`
# (its `pre_save` on an insert), then an aware datetime goes to the backend's adapter, which is
# where `get_db_prep_save` ends for one (the field's own steps only pass it through); a naive
# one or any other value takes the field's own way (its warning included).
_DATETIME = object()


@cache
def _plan(model: type[models.Model]) -> tuple[tuple[models.Field[Any, Any], str, Any], ...]:
    return tuple(
        (f, f.attname, _DATETIME if type(f) is models.DateTimeField else _plain_type(f))
        for f in _fields(model)
    )


def _params(chunk: Sequence[models.Model], conn: Any) -> list[Any] | None:
    """The chunk's values in the statement's order; None when one is left to the database's
    own default (`db_default`: `bulk_create` knows how to omit it). A plain value (an int of an
    integer column or foreign key, a str of a text column, a bool, None) is taken as it is: it
    is what `pre_save` and `get_db_prep_save` would give (a third of a column save's time was
    those two calls, per field and row); an aware datetime goes to the backend's adapter (see
    `_DATETIME`); any other goes through them."""
    params: list[Any] = []
    plan = _plan(type(chunk[0]))
    adapt = conn.ops.adapt_datetimefield_value
    for obj in chunk:
        for f, attname, plain in plan:
            if plain is _DATETIME:
                stamped = f.auto_now or f.auto_now_add  # type: ignore[attr-defined]
                value = f.pre_save(obj, True) if stamped else getattr(obj, attname)
                if value is None or (type(value) is datetime.datetime and value.tzinfo):
                    params.append(None if value is None else adapt(value))
                    continue
            else:
                value = getattr(obj, attname)
                if plain is not None and (value is None or type(value) is plain):
                    params.append(value)
                    continue
                value = f.pre_save(obj, True)
            if isinstance(value, DatabaseDefault):
                return None
            params.append(f.get_db_prep_save(value, conn))
    return params


def rows_insert(objects: Sequence[models.Model]) -> None:
    """Insert unsaved instances of one model (ids given by the database, set on them)."""
    if not objects:
        return
    model = type(objects[0])
    fields = _fields(model)
    step = max(1, PARAMETERS // max(1, len(fields)))
    conn = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: `connection` is a proxy
    for start in range(0, len(objects), step):
        chunk = objects[start : start + step]
        params = _params(chunk, conn)
        if params is None:
            model._default_manager.bulk_create(chunk)
            continue
        with conn.cursor() as cursor:
            cursor.execute(_sql(model, len(chunk), conn.vendor), params)
            ids = cursor.fetchall()
        for obj, (pk,) in zip(chunk, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = conn.alias


# --- building: an instance from values by attribute name ----------------------------------------


def _init_receivers(model: type[models.Model]) -> bool:
    """Whether `pre_init` or `post_init` has a receiver for `model`: the signals' own cache of
    "none for this sender" read first (two dictionary look-ups; `has_listeners` is a call through
    the receivers' filtering, and a save builds a dozen instances), then `has_listeners`."""
    for signal in (pre_init, post_init):
        if (
            getattr(signal, "_dead_receivers", True)
            or signal.sender_receivers_cache.get(model) is not NO_RECEIVERS
        ):
            if signal.has_listeners(model):
                return True
    return False


@cache
def _blank(
    model: type[models.Model],
) -> tuple[dict[str, Any], tuple[tuple[str, Any], ...], frozenset[str]]:
    """A model's fields' defaults by attribute name: the constant ones (computed once) and the
    callable ones (called for each instance, as `Model.__init__` does); every attribute name."""
    constant: dict[str, Any] = {}
    called: list[tuple[str, Any]] = []
    for f in model._meta.concrete_fields:
        if f.generated:
            continue
        if f.has_default() and callable(f.default):
            called.append((f.attname, f.get_default))
        else:
            constant[f.attname] = f.get_default()
    return constant, tuple(called), frozenset(constant) | {a for a, _f in called}


def instance(model: type[M], **values: Any) -> M:
    """`model(**values)` for values given by attribute name (`course_id`, not `course`; `pk`
    for the primary key), the other fields at their defaults — the same instance, built without
    `Model.__init__`'s per-field loop over the keywords and its descriptors (a mark save built
    six of them; the loop was half of a model's cost). A model with `pre_init`/`post_init`
    receivers (an image field's) is built by `__init__`, so that they run. An unknown name is
    an error, as it is for `__init__`."""
    if _init_receivers(model):
        return model(**values)
    constant, called, known = _blank(model)
    if "pk" in values:
        values[model._meta.pk.attname] = values.pop("pk")
    if not known.issuperset(values):
        unknown = set(values) - known
        raise TypeError(f"{model.__name__}: unknown fields {sorted(unknown)}")
    obj = model.__new__(model)
    obj._state = ModelState()
    state = obj.__dict__
    state.update(constant)
    for attname, default in called:
        if attname not in values:
            state[attname] = default()
    state.update(values)
    return obj


# --- reading: model instances from a hand-written SELECT ------------------------------------------


# (model, vendor) → (position, column, converters) of the fields `from_row` converts.
_converted: dict[tuple[type[models.Model], str], tuple[tuple[int, Any, tuple[Any, ...]], ...]] = {}


def _columns(model: type[models.Model], conn: Any) -> tuple[tuple[int, Any, tuple[Any, ...]], ...]:
    """(position, column, converters) of the concrete fields whose values the ORM converts on
    `conn`'s database (the backend's converters, then the field's: SQLite's text to an aware
    datetime, to a date, to a Decimal, 0/1 to a bool…), found once per model and database kind."""
    key = (model, conn.vendor)
    found = _converted.get(key)
    if found is None:
        converted = []
        for i, f in enumerate(model._meta.concrete_fields):
            col = f.get_col(model._meta.db_table)
            converters = (*conn.ops.get_db_converters(col), *col.get_db_converters(conn))
            if converters:
                converted.append((i, col, converters))
        found = _converted[key] = tuple(converted)
    return found


def select_list(model: type[models.Model], alias: str) -> str:
    """The model's columns for a hand-written SELECT (`alias`.column, in field order), read back
    by `from_row`."""
    qn = connection.ops.quote_name
    return ", ".join(f"{alias}.{qn(str(f.column))}" for f in model._meta.concrete_fields)


def from_row(model: type[M], row: Sequence[Any], start: int = 0, conn: Any = None) -> tuple[M, int]:
    """The instance whose `select_list` begins at `row[start]`, as the ORM would have read it
    (`Model.from_db`: the same converters, the state of a saved row), and where the next one
    begins. Built as `instance` builds one: without `Model.__init__`'s loop when the model has
    no `pre_init`/`post_init` receivers. `conn`: the connection wrapper the row came from
    (default: the default database's)."""
    conn = connection if conn is None else conn
    converted = _columns(model, conn)
    end = start + len(_names(model))
    values = list(row[start:end])
    for i, col, converters in converted:
        value = values[i]
        for convert in converters:
            value = convert(value, col, conn)
        values[i] = value
    return loaded(model, values, conn.alias), end


def loaded(model: type[M], values: Sequence[Any], db: str = "default") -> M:
    """`model.from_db(db, names, values)` for the values of every concrete field in order, as
    they are (no converters: values already of the fields' types): a saved row's instance,
    built without `Model.__init__`'s loop when the model has no `pre_init`/`post_init`
    receivers."""
    names = _names(model)
    if _init_receivers(model):
        return model.from_db(db, list(names), list(values))
    obj = model.__new__(model)
    obj._state = state = ModelState()
    state.adding, state.db = False, db
    obj.__dict__.update(zip(names, values, strict=True))
    return obj


def clone(obj: M) -> M:
    """A copy of a saved instance with its own state (its field values shared: immutable ones,
    dates and texts, for the models it serves), without `copy.copy`'s pickling protocol; one
    with `pre_init`/`post_init` receivers is copied by `copy.copy`. Related objects cached on
    `obj` are not carried over."""
    model = type(obj)
    if _init_receivers(model):
        import copy

        return copy.copy(obj)
    new = model.__new__(model)
    values = {k: v for k, v in obj.__dict__.items() if k != "_state"}
    new.__dict__.update(values)
    new._state = state = ModelState()
    state.adding, state.db = obj._state.adding, obj._state.db
    return new


@cache
def _names(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


def planned_cursor(conn: Any = None) -> AbstractContextManager[Any]:
    """A cursor whose statements PostgreSQL plans once per connection: server-side binding for
    this cursor only, so psycopg prepares a statement the fifth time a connection runs it
    (settings: `prepare_threshold`); Django's own cursors bind on the client and are never
    prepared. For a hot statement whose planning costs as much as its execution (the diary's
    304: 1.3 ms each on PostgreSQL; the grid's course read 8 ms unprepared under load, 1.3
    prepared). A plain cursor on other databases; logged as usual. `conn`: a connection
    wrapper (default: the default database's).

    The parameters travel apart from the text: PostgreSQL types them from their context, so a
    bare `%s` in a SELECT list needs a CAST, and a list goes as `= ANY(%s)`, not `IN %s`."""
    conn = connection if conn is None else conn
    if conn.vendor != "postgresql":
        cursor: AbstractContextManager[Any] = conn.cursor()  # a context manager itself
        return cursor
    return _prepared(conn)


@contextmanager
def _prepared(conn: Any) -> Iterator[Any]:
    with conn.wrap_database_errors:
        conn.ensure_connection()
        raw = _server_cursor()(conn.connection)
    with conn._prepare_cursor(raw) as cursor:
        yield cursor


@cache
def _server_cursor() -> Any:
    """Django's server-side binding cursor, which still tells the SQL it ran once the statement
    is prepared: psycopg runs a prepared statement without recording it as the cursor's query,
    so Django's `last_executed_query` (the captured and logged SQL, the query counts of the
    tests and of bench/) would be None from the fifth run on."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    class Cursor(ServerBindingCursor):
        def _send_query_prepared(self, name: bytes, pgq: Any, **kwargs: Any) -> None:
            self._query = pgq
            super()._send_query_prepared(name, pgq, **kwargs)  # type: ignore[misc]

    return Cursor
