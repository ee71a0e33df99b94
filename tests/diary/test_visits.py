"""What the diary remembers of its readers: entries new since the last visit are marked (per
reader and child), guardians' views are counted once a day per school, and a guardian link that
ended gives no access from the next day (in its school only)."""

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.utils import timezone

from otmetka.audit.models import Event
from otmetka.diary.models import DiaryViewDay, DiaryVisit
from otmetka.journal.models import Absence, Mark
from otmetka.people.models import Guardian
from otmetka.people.services import guardian_update
from tests.diary.helpers import MONDAY, diary_world
from tests.journal.helpers import kind
from tests.world import World

WEEK = f"/diary/?date={MONDAY:%Y-%m-%d}"


def _ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def _age_visit(world: World, persona: str, hours: float) -> None:
    """Pretend the reader's last opening of the 7А pupil's diary was `hours` ago."""
    DiaryVisit.objects.filter(user=world.user(persona), student=world.pupil_7a).update(
        seen_at=_ago(hours)
    )


def test_marks_entered_after_the_last_visit_are_marked_new_until_the_next_visit(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    dw = diary_world(world)
    Mark.objects.update(created_at=_ago(3))  # entered before the reader's first visit
    Absence.objects.update(created_at=_ago(3))
    client = client_for("guardian_7a")
    first = client.get(WEEK).content.decode()
    assert "is-new" not in first  # the first visit ever: nothing is "new"
    _age_visit(world, "guardian_7a", 1)
    new = Mark.objects.create(
        school=world.school,
        lesson=dw.lessons[1],
        student=world.pupil_7a,
        value="3",
        kind=kind(world),
        created_by=world.user("teacher_7a_math"),
    )
    again = client.get(WEEK).content.decode()
    assert again.count('class="mark mark-3 is-new"') == 1
    assert 'class="mark mark-5"' in again  # the old marks stay plain
    assert "1 новая запись с прошлого визита отмечена." in again
    marks = client.get("/diary/marks/?period=").content.decode()
    assert "mark-3 is-new" in marks and "mark-5 is-new" not in marks
    # The student's own visit is their own: for them the mark is not new (first visit).
    assert "is-new" not in client_for("student_7a").get(WEEK).content.decode()
    Mark.objects.filter(pk=new.pk).update(created_at=_ago(2))  # seen at the visit an hour ago…
    _age_visit(world, "guardian_7a", 1)  # … so a visit later the mark is no longer new
    assert "is-new" not in client.get(WEEK).content.decode()


def test_guardians_views_are_counted_once_a_day_per_child_in_the_childs_school(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    diary_world(world)
    guardian = client_for("guardian_7a")
    for _ in range(3):
        assert guardian.get("/diary/").status_code == 200
    client_for("student_7a").get("/diary/")  # a student's own views are not counted
    today = timezone.localdate()
    assert DiaryViewDay.objects.get(school=world.school, day=today).views == 1
    assert not DiaryViewDay.objects.filter(school=world.other_school).exists()
    DiaryVisit.objects.filter(user=world.user("guardian_7a")).update(
        seen_at=timezone.now() - datetime.timedelta(days=1)
    )
    guardian.get("/diary/")
    assert DiaryViewDay.objects.get(school=world.school, day=today).views == 2
    assert DiaryViewDay.objects.count() == 1


def test_an_ended_guardian_link_gives_no_access_from_the_next_day_in_its_school_only(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    dw = diary_world(world)
    link = Guardian.objects.get(user=world.user("guardian_7a"), student=world.pupil_7a)
    secretary = world.user("secretary")
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:  # an end needs its basis
        guardian_update(actor=secretary, school=world.school, guardian=link,
                        relation=link.relation, end=today)  # fmt: skip
    assert "решение суда" in str(refused.value)
    guardian_update(actor=secretary, school=world.school, guardian=link, relation=link.relation,
                    end=today, end_basis="Решение суда № 2-15/2026")  # fmt: skip
    assert Event.objects.filter(action="guardian_update", actor=secretary).exists()
    client = client_for("guardian_7a")
    assert "Тема 1" in client.get(WEEK).content.decode()  # the last day: still in force
    assert client.get(f"/diary/files/{dw.file.pk}/").status_code == 200
    Guardian.objects.filter(pk=link.pk).update(end=today - datetime.timedelta(days=1))
    html = client.get(WEEK).content.decode()
    assert "Тема 1" not in html and "Сидоров" in html  # the other school's child stays
    assert client.post("/diary/child/", {"student": world.pupil_7a.pk}).status_code == 404
    assert client.get(f"/diary/files/{dw.file.pk}/").status_code == 404
    # The other school's link is not this school's to end.
    other_link = Guardian.objects.get(user=world.user("guardian_7a"), school=world.other_school)
    with pytest.raises(Http404):
        guardian_update(actor=secretary, school=world.school, guardian=other_link,
                        relation=other_link.relation, end=today, end_basis="Приказ")  # fmt: skip
    assert Guardian.objects.get(pk=other_link.pk).end is None


def test_the_secretary_ends_a_link_on_the_guardians_setup_page(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    link = world.guardian_link
    client = client_for("secretary")
    page = client.get(f"/setup/guardian/{link.pk}/").content.decode()
    assert "Связь действует по" in page and "Основание прекращения" in page
    assert "Связь действует по" not in client.get("/setup/guardian/new/").content.decode()
    sent = {"relation": link.relation, "phone": "", "end": "17.11.2026", "end_basis": ""}
    refused = client.post(f"/setup/guardian/{link.pk}/", sent)
    assert refused.status_code == 200 and "решение суда" in refused.content.decode()
    assert Guardian.objects.get(pk=link.pk).end is None
    response = client.post(f"/setup/guardian/{link.pk}/", {**sent, "end_basis": "Приказ № 12"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.end == datetime.date(2026, 11, 17) and link.end_basis == "Приказ № 12"
    assert client_for("guardian_7a").get("/diary/").status_code == 404  # the tests' today: 18.11
