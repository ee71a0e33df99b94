"""The areas' rows of bench/run's report: each area script (`bench/diary.py`, `bench/messaging.py`,
`bench/gradesheet.py`, owned by its area) may have

    def measure(rounds: int = 200) -> list[dict]

returning rows `{"name", "p50", "p95", "queries", "floor_p50", "target"}` measured in this process
on the configured database. bench/run's worker calls it when present, inside a transaction it
rolls back (whatever the area creates is gone before the next measurement). A module without
`measure` gives "not built yet" rows; one that fails gives a "failed" row with the error; a run
of one area never stops the report."""

import importlib
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT), str(ROOT / "bench")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

# module → the rows it is expected to give (shown as "not built yet" until it has `measure`).
AREAS: dict[str, tuple[str, ...]] = {
    "bench.diary": ("diary week", "class summary"),
    "bench.messaging": ("announcement send (60 recipients)", "inbox (1,000 messages)"),
    "bench.gradesheet": ("gradesheet class", "gradesheet school"),
    "bench.compliance": (
        "region timeliness dashboard (rollups)",
        "rollup recompute, one school's week",
    ),
    "bench.monitoring": ("monitoring school quarter", "monitoring page"),
    "bench.api": ("apiv3 getdiary week", "api/v1 diary days 304 (ETag)"),
}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _clean(row: Any, module: str) -> dict[str, Any]:
    """One row of the interface, tolerant of what is missing (shown as —)."""
    if not isinstance(row, dict) or not row.get("name"):
        return {"module": module, "name": f"{module}: malformed row", "status": "failed"}
    queries = row.get("queries")
    return {
        "module": module,
        "name": str(row["name"]),
        "status": "measured",
        "p50": _number(row.get("p50")),
        "p95": _number(row.get("p95")),
        "queries": queries if isinstance(queries, int) else None,
        "floor_p50": _number(row.get("floor_p50", row.get("floor"))),
        "target": str(row.get("target") or ""),
    }


def measure_module(module: str, expected: tuple[str, ...], rounds: int) -> list[dict[str, Any]]:
    """The rows of one area module (see the module's docstring)."""
    try:
        mod = importlib.import_module(module)
    except Exception as exc:  # an area's import error is reported, not raised
        return [{"module": module, "name": module, "status": "failed", "error": repr(exc)}]
    measure = getattr(mod, "measure", None)
    if not callable(measure):
        return [{"module": module, "name": n, "status": "not built yet"} for n in expected]
    from django.db import transaction

    started = time.process_time()
    try:
        with transaction.atomic():
            rows = measure(rounds)
            transaction.set_rollback(True)
    except Exception as exc:
        last = traceback.format_exception_only(exc)[-1].strip()
        return [{"module": module, "name": module, "status": "failed", "error": last[:300]}]
    cleaned = [_clean(row, module) for row in rows or []]
    for row in cleaned:
        row["module_cpu_s"] = time.process_time() - started
    return cleaned or [{"module": module, "name": module, "status": "failed", "error": "no rows"}]


def area_rows(rounds: int, modules: list[str] | None = None) -> list[dict[str, Any]]:
    """The rows of every area module (`modules`: names to import instead of AREAS)."""
    wanted = {m: AREAS.get(m, ()) for m in modules} if modules else AREAS
    rows: list[dict[str, Any]] = []
    for module, expected in wanted.items():
        rows += measure_module(module, expected, rounds)
    return rows
