"""A per-school cache of what rarely changes: the calendar's periods here, kinds of work and
absence codes (`otmetka.journal.refs`), marking policies (`otmetka.grading.selectors`).

Each part is kept in Django's cache under the school's reference version
(`models.ReferenceVersion`), which database triggers replace in the same transaction as any
insert, update or delete of the rows a part is built from — ORM saves, bulk updates, raw SQL
and other processes alike. A request reads the version with a row it reads anyway (the course
or the lesson: `version_of`), so a process's local cache (locmem) answers correctly across any
number of app processes: after an edit the version differs and the part is read again. The
version is random rather than a counter so that a rolled-back edit (whose uncommitted data a
request of the same transaction may have cached) never returns to a used key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from otmetka.school.models import Period, ReferenceVersion

T = TypeVar("T")
TIMEOUT = 24 * 3600
TABLE = "school_referenceversion"


def version_of(school_field: str = "school_id") -> Coalesce:
    """The version of the row's school, to annotate on a row read anyway (0 without edits)."""
    found = ReferenceVersion.objects.filter(school_id=OuterRef(school_field)).values("version")
    return Coalesce(Subquery(found[:1]), Value(0))


def current_version(school_id: int) -> int:
    """The school's version by itself (one query), for callers that read no row to carry it."""
    found = ReferenceVersion.objects.filter(school_id=school_id).values_list("version", flat=True)
    return next(iter(found), 0)


def version_for(obj: Any) -> int:
    """The version a course or lesson was read with (`ref_version`), else read now."""
    version = getattr(obj, "ref_version", None)
    return current_version(obj.school_id) if version is None else int(version)


# Parts kept as they are, by key (`immutable`): tuples of frozen dataclasses (kinds, codes), the
# marking policies (their one caller on this path, the grid's period column, only reads them) and
# the periods (copied when handed out), as unpickled from the cache once: the cache (locmem, or
# Redis shared by a region's processes) gives a fresh copy on every get, a fifth of a mark save's
# reading of kinds and codes. A key names its version, so an entry is never stale; the dict is
# emptied when full rather than kept in order.
_local: dict[str, Any] = {}
LOCAL_MAX = 4096


def cached(
    school_id: int, version: int, part: str, load: Callable[[], T], *, immutable: bool = False
) -> T:
    """The school's `part` at `version`: from the cache, else `load()` (and kept). An
    `immutable` part is also kept in this process as it is, shared by the requests."""
    db = connection.settings_dict["NAME"]
    key = f"otm:ref:{connection.vendor}:{db}:{school_id}:{version}:{part}"
    if immutable and (found := _local.get(key)) is not None:
        return found
    found = cache.get(key)
    if found is None:
        found = load()
        cache.set(key, found, TIMEOUT)
    if immutable:
        if len(_local) >= LOCAL_MAX:
            _local.clear()
        _local[key] = found
    return found


def school_periods(school_id: int, version: int) -> list[Period]:
    """Every period of the school (all years and schemes), by first day: the instances are the
    process's, shared by its requests (unpickling the school's every period was 4 % of a grid's
    request) — read them, and hand out copies (`core.rows.clone`) of those a caller keeps."""
    return cached(
        school_id,
        version,
        "periods",
        lambda: list(Period.objects.filter(school_id=school_id).order_by("start", "pk")),
        immutable=True,
    )


# ----------------------------------------------------------------- the triggers (migrations)

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION otm_refversion_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v bigint := floor(random() * 9007199254740991)::bigint;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO {TABLE} (school_id, version) VALUES (OLD.school_id, v)
      ON CONFLICT (school_id) DO UPDATE SET version = EXCLUDED.version;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO {TABLE} (school_id, version) VALUES (NEW.school_id, v)
      ON CONFLICT (school_id) DO UPDATE SET version = EXCLUDED.version;
  END IF;
  RETURN NULL;
END $$
"""


def _sqlite_bump(row: str) -> str:
    return (
        f"INSERT INTO {TABLE} (school_id, version) VALUES ({row}.school_id, random())"
        " ON CONFLICT (school_id) DO UPDATE SET version = excluded.version;"
    )


def trigger_sql(vendor: str, table: str) -> list[str]:
    """The statements that make every change of `table` (which has `school_id`) bump its
    school's version."""
    if vendor == "postgresql":
        return [
            _PG_FUNCTION,
            f"DROP TRIGGER IF EXISTS otm_refversion ON {table}",
            f"CREATE TRIGGER otm_refversion AFTER INSERT OR UPDATE OR DELETE ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION otm_refversion_bump()",
        ]
    if vendor == "sqlite":
        rows = {"insert": ("NEW",), "update": ("OLD", "NEW"), "delete": ("OLD",)}
        return [
            f"CREATE TRIGGER IF NOT EXISTS otm_refversion_{table}_{op} AFTER {op.upper()} ON"
            f" {table} BEGIN {' '.join(_sqlite_bump(r) for r in which)} END"
            for op, which in rows.items()
        ]
    raise NotImplementedError(f"reference version triggers for {vendor}")


def drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS otm_refversion ON {table}"]
    return [
        f"DROP TRIGGER IF EXISTS otm_refversion_{table}_{op}"
        for op in ("insert", "update", "delete")
    ]


def triggers(*tables: str) -> Any:
    """A migration operation that adds the triggers to `tables` (and removes them backwards)."""
    from django.db import migrations

    def forward(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            for sql in trigger_sql(schema_editor.connection.vendor, table):
                schema_editor.execute(sql)

    def backward(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            for sql in drop_sql(schema_editor.connection.vendor, table):
                schema_editor.execute(sql)

    return migrations.RunPython(forward, backward)
