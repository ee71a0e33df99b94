"""bench/areas.py: the areas' rows of bench/run from each area script's `measure` (the interface
of the shared bench brief), tried on stand-in modules: measured rows (rolled back), a module
without `measure` ("not built yet"), one that fails (reported, the others still measured)."""

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import areas  # noqa: E402
from report_md import _areas_section  # noqa: E402

from otmetka.school.models import Region  # noqa: E402

pytestmark = pytest.mark.django_db


def test_measured_rows_not_built_and_failed_areas_are_reported() -> None:
    regions = Region.objects.count()
    areas.AREAS["tests.bench.area_unbuilt"] = ("diary week", "class summary")
    try:
        rows = areas.area_rows(
            3, ["tests.bench.area_dummy", "tests.bench.area_unbuilt", "tests.bench.area_broken"]
        )
    finally:
        del areas.AREAS["tests.bench.area_unbuilt"]
    assert Region.objects.count() == regions  # what measure wrote is rolled back
    by_name = {row["name"]: row for row in rows}
    dummy = by_name["dummy count"]
    assert dummy["status"] == "measured" and dummy["queries"] == 1
    assert dummy["p50"] > 0 and dummy["floor_p50"] > 0 and dummy["target"] == "p95 ≤ 5 ms"
    assert by_name["dummy without a floor"]["floor_p50"] is None
    assert by_name["diary week"]["status"] == by_name["class summary"]["status"] == "not built yet"
    broken = by_name["tests.bench.area_broken"]
    assert broken["status"] == "failed" and "no guardians" in broken["error"]

    lines = _areas_section({"areas": rows})
    table = "\n".join(lines)
    dummy_line = next(line for line in lines if line.startswith("| dummy count |"))
    assert "×" in dummy_line and "p95 ≤ 5 ms" in dummy_line and dummy_line.endswith("measured |")
    assert "| dummy without a floor |" in table and "| diary week |" in table
    assert "not built yet |" in table
    assert "no guardians in this dataset" in table


def test_the_default_areas_are_the_three_area_scripts() -> None:
    assert list(areas.AREAS) == [
        "bench.diary", "bench.messaging", "bench.gradesheet", "bench.compliance",
        "bench.monitoring", "bench.api",
    ]  # fmt: skip
    assert "gradesheet school" in areas.AREAS["bench.gradesheet"]


def test_a_module_that_does_not_import_is_a_failed_row() -> None:
    rows = areas.area_rows(1, ["tests.bench.no_such_area"])
    assert rows[0]["status"] == "failed" and "No module" in rows[0]["error"]
