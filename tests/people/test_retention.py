"""`otmetka retention`: students who left more than N years ago are reported, and with --apply
lose their personal data while their marks stay in the journal under a pseudonym."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from otmetka.accounts.models import User
from otmetka.audit.chain import verify
from otmetka.audit.models import Event, Read
from otmetka.people.models import Consent, Guardian, HealthRecord, Student
from otmetka.school.models import Enrollment
from tests.world import World

pytestmark = pytest.mark.django_db


def _left(world: World, years_ago: int) -> Student:
    """The 7Б pupil left `years_ago` years ago (a past class of hers)."""
    pupil = world.pupil_7b
    Enrollment.objects.filter(student=pupil).update(
        start=datetime.date(2018, 9, 1), end=datetime.date(2026 - years_ago, 5, 31)
    )
    pupil.birth_date, pupil.document = datetime.date(2012, 1, 2), "II-АП 1"
    pupil.save()
    Consent.objects.create(
        school=world.school, student=pupil, kind="processing", signed_by="Петров",
        given_on=datetime.date(2018, 9, 1), created_by=world.user("secretary"),
    )  # fmt: skip
    HealthRecord.objects.create(
        school=world.school, student=pupil, health_group="2", pe_group="main",
        start=datetime.date(2018, 9, 1), basis="x", created_by=world.user("nurse"),
    )  # fmt: skip
    Read.objects.create(
        school=world.school, reader=world.user("nurse"), kind="health",
        student_id=pupil.pk, student_name=pupil.full_name,
    )  # fmt: skip
    return pupil


def _run(*args: str) -> str:
    out = StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_report_changes_nothing(world: World) -> None:
    pupil = _left(world, 6)
    report = _run("--years", "5")
    assert f"№{pupil.pk}" in report and "31.05.2020" in report and "1 " in report
    assert f"№{world.pupil_7a.pk}" not in report  # still at school
    assert "Петрова" not in report
    pupil.refresh_from_db()
    assert pupil.last_name == "Петрова"
    assert _run("--years", "7").startswith("0 ")


def test_apply_anonymises_and_keeps_the_journal(world: World) -> None:
    pupil = _left(world, 6)
    login = pupil.user
    assert login is not None
    assert "1" in _run("--years", "5", "--apply")
    pupil.refresh_from_db()
    assert pupil.full_name == f"Обучающийся №{pupil.pk}" and pupil.birth_date is None
    assert pupil.document == "" and pupil.user is None
    assert Enrollment.objects.filter(student=pupil).exists()  # the journal keeps the row
    assert not Consent.objects.filter(student=pupil).exists()
    assert not HealthRecord.objects.filter(student=pupil).exists()
    assert not Guardian.objects.filter(student=pupil).exists()
    account = User.objects.get(pk=login.pk)
    assert (
        not account.is_active
        and account.last_name == ""
        and account.username.startswith("removed-")
    )
    assert Read.objects.get(student_id=pupil.pk).student_name == f"Обучающийся №{pupil.pk}"
    event = Event.objects.get(action="retention_anonymise")
    assert event.after["students"] == [pupil.pk]
    assert verify()[1] == []
    assert _run("--years", "5").startswith("0 ")  # done once


def test_bad_arguments_are_refused(world: World) -> None:
    with pytest.raises(CommandError):
        _run("--years", "0")
    with pytest.raises(CommandError):
        _run("--years", "5", "--school", "999999")
