"""The deputy closes a period's journal on the period's page; teachers can no longer write in it."""

import pytest
from django.core.exceptions import PermissionDenied

from otmetka.audit.models import Event
from otmetka.journal.defaults import journal_defaults_ensure
from otmetka.journal.models import Lesson, MarkKind
from otmetka.journal.services import mark_add
from otmetka.school.models import Period


def _period_form(period: Period, closed: bool) -> dict:
    data = {
        "year": period.year_id, "scheme": period.scheme, "number": period.number,
        "start": period.start.isoformat(), "end": period.end.isoformat(),
    }  # fmt: skip
    return {**data, "journal_closed": "on"} if closed else data


def test_the_deputy_closes_the_quarter_and_the_teacher_can_no_longer_write(world, client_for):
    journal_defaults_ensure(school=world.school)
    period = Period.objects.get(year=world.year, number=2)
    response = client_for("deputy").post(
        f"/setup/period/{period.pk}/", _period_form(period, closed=True)
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.closed_at is not None
    event = Event.objects.get(action="period_update", object_id=str(period.pk))
    assert event.before["closed_at"] is None and event.after["closed_at"] is not None
    lesson = Lesson.objects.create(
        school=world.school, course=world.course_7a_math, date=period.start, bell_number=1
    )
    kind = MarkKind.objects.filter(school=world.school).first()
    with pytest.raises(PermissionDenied):
        mark_add(
            actor=world.user("teacher_7a_math"), lesson=lesson, student=world.pupil_7a,
            value="5", kind=kind,
        )  # fmt: skip


def test_reopening_clears_the_closing_and_editing_other_fields_keeps_it(world, client_for):
    period = Period.objects.get(year=world.year, number=1)
    client = client_for("deputy")
    client.post(f"/setup/period/{period.pk}/", _period_form(period, closed=True))
    period.refresh_from_db()
    closed_at = period.closed_at
    client.post(f"/setup/period/{period.pk}/", _period_form(period, closed=True))
    period.refresh_from_db()
    assert period.closed_at == closed_at  # saving again does not move the moment of closing
    client.post(f"/setup/period/{period.pk}/", _period_form(period, closed=False))
    period.refresh_from_db()
    assert period.closed_at is None
