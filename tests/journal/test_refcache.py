"""The per-school cache of reference data (otmetka.school.refcache): every change of a school's
periods, kinds of work, absence codes or marking policies — through the ORM, bulk updates or
raw SQL as another process would make it — gives the school a new version in the same
transaction, and the next grid request shows the change (no stale reads, no signal needed)."""

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test import Client

from otmetka.grading.models import MarkingPolicy
from otmetka.journal.models import AbsenceCode, MarkKind
from otmetka.school.models import Period
from otmetka.school.refcache import current_version
from tests.journal.helpers import code, kind, lessons_make, students_add
from tests.world import World

Clients = Callable[[str | None], Client]
TABLES = ("school_period", "journal_markkind", "journal_absencecode", "grading_markingpolicy")


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE NOT t.tgisinternal"
            )
        return {f"{table}:{name}" for table, name in cursor.fetchall()}


def test_every_reference_table_has_its_triggers(db: None) -> None:
    """A later migration that rebuilds one of the tables (SQLite remakes a table to alter it)
    drops its triggers: this fails until the migration adds them back (`refcache.triggers`)."""
    found = _triggers()
    for table in TABLES:
        if connection.vendor == "sqlite":
            names = [f"otm_refversion_{table}_{op}" for op in ("insert", "update", "delete")]
        else:
            names = ["otm_refversion"]
        assert all(f"{table}:{n}" in found for n in names), (table, sorted(found))


def _edits(world: World) -> list[tuple[str, Callable[[], object]]]:
    school = world.school
    period = Period.objects.filter(school=school).first()
    assert period is not None
    return [
        ("save", lambda: MarkKind.objects.create(school=school, name="Проект", weight=2)),
        ("update", lambda: MarkKind.objects.filter(school=school).update(weight=F("weight"))),
        (
            "bulk_create",
            lambda: AbsenceCode.objects.bulk_create(
                [AbsenceCode(school=school, code="с", name="Соревнования", reason="valid")]
            ),
        ),
        ("delete", lambda: AbsenceCode.objects.filter(school=school, code="с").delete()),
        ("period", lambda: Period.objects.filter(pk=period.pk).update(closed_at=None)),
        ("policy", lambda: MarkingPolicy.objects.create(school=school, warn_days=3)),
        ("policy update", lambda: MarkingPolicy.objects.filter(school=school).update(warn_days=4)),
        ("raw SQL", lambda: _raw("UPDATE journal_absencecode SET name = name")),
    ]


def _raw(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def test_every_kind_of_edit_changes_the_version_of_that_school_only(world: World) -> None:
    code(world, "н")
    kind(world)
    seen = {current_version(world.school.pk)}
    other = current_version(world.other_school.pk)
    for name, edit in _edits(world):
        edit()
        version = current_version(world.school.pk)
        assert version not in seen, name
        seen.add(version)
    assert current_version(world.other_school.pk) == other


def test_a_rolled_back_edit_does_not_change_the_version(world: World) -> None:
    kind(world)
    before = current_version(world.school.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        MarkKind.objects.filter(school=world.school).update(weight=3)
        assert current_version(world.school.pk) != before
        raise RuntimeError
    assert current_version(world.school.pk) == before


def _grid(client: Client, world: World) -> dict:
    response = client.get(f"/api/v1/journal/{world.course_7a_math.pk}")
    assert response.status_code == 200
    return response.json()


def test_the_next_grid_shows_an_edit_made_behind_the_cache(
    world: World, client_for: Clients
) -> None:
    """Edits by raw SQL — what another app process's change looks like to this one: no signal,
    no local cache cleared — are seen by the next request."""
    lessons_make(world.course_7a_math, 2)
    students_add(world, world.class_7a, 1)
    answer = kind(world)
    code(world, "н")
    client = client_for("teacher_7a_math")
    first = _grid(client, world)
    assert {k["name"] for k in first["mark_kinds"]} >= {"Ответ на уроке"}
    assert not first["period"]["closed"]
    assert first["period_column"]["warn"] is False
    table = MarkKind._meta.db_table
    _raw(f"UPDATE {table} SET name = 'Ответ у доски', weight = 2 WHERE id = {answer.pk}")
    _raw(f"UPDATE {AbsenceCode._meta.db_table} SET name = 'Не был' WHERE code = 'н'")
    now = "'2026-12-01 10:00:00'" if connection.vendor == "sqlite" else "now()"
    period_id = first["period"]["id"]
    _raw(f"UPDATE {Period._meta.db_table} SET closed_at = {now} WHERE id = {period_id}")
    MarkingPolicy.objects.create(school=world.school, warn_days=365)
    second = _grid(client, world)
    kinds = {k["id"]: k for k in second["mark_kinds"]}
    assert kinds[answer.pk]["name"] == "Ответ у доски"
    assert Decimal(kinds[answer.pk]["weight"]) == 2
    assert {c["code"]: c["name"] for c in second["absence_codes"]}["н"] == "Не был"
    assert second["period"]["closed"]
    assert second["period_column"]["warn"] is True


def test_a_new_period_is_found_by_the_grid(world: World, client_for: Clients) -> None:
    """The grid's period by id comes from the cached calendar: a period added after the cache
    was filled is found (and another school's period is not)."""
    client = client_for("teacher_7a_math")
    _grid(client, world)
    period = Period.objects.filter(school=world.school).order_by("number").last()
    assert period is not None
    Period.objects.filter(pk=period.pk).update(end=datetime.date(2027, 5, 20))
    url = f"/api/v1/journal/{world.course_7a_math.pk}?period={period.pk}"
    assert client.get(url).json()["period"]["end"] == "2027-05-20"
    other = Period.objects.filter(school=world.other_school).first()
    assert other is not None
    url = f"/api/v1/journal/{world.course_7a_math.pk}?period={other.pk}"
    assert client.get(url).status_code == 404
