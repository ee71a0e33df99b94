"""Academic debts (R12–R14): which year marks open one, the one-year window with illness,
retakes (a third refused, the second with a commission), conditional transfer, the reports."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from otmetka.audit.models import Event
from otmetka.grading.debts import (
    deadline,
    debt_rows,
    debts_check_year,
    is_failing,
    is_passing,
    pause_record,
    retake_record,
    transfer_record,
    transfer_rows,
)
from otmetka.grading.models import AcademicDebt, ConditionalTransfer, PeriodMark
from otmetka.grading.services import period_marks_save
from tests.grading.conftest import add_students
from tests.world import World

D = datetime.date


@pytest.mark.parametrize(
    ("value", "reason", "opens"),
    [
        ("2", "", True),
        ("1", "", True),
        ("незач", "", True),
        ("н/а", "invalid", True),
        ("н/а", "valid", False),  # R12: a valid reason → no debt, conditional transfer
        ("3", "", False),
        ("5", "", False),
        ("зач", "", False),
        ("осв", "", False),
    ],
)
def test_which_year_marks_open_a_debt(value: str, reason: str, opens: bool) -> None:
    assert is_failing(value, reason) is opens


@pytest.mark.parametrize(
    ("value", "passes"),
    [
        ("3", True),
        ("4", True),
        ("5", True),
        ("зач", True),
        ("2", False),
        ("1", False),
        ("незач", False),
        ("н/а", False),
    ],
)
def test_which_retake_results_clear_a_debt(value: str, passes: bool) -> None:
    assert is_passing(value) is passes


@pytest.mark.parametrize(
    ("arose", "pauses", "last"),
    [
        (D(2027, 6, 1), [], D(2028, 6, 1)),
        (D(2028, 2, 29), [], D(2029, 2, 28)),
        (D(2027, 6, 1), [(D(2027, 10, 1), D(2027, 10, 10))], D(2028, 6, 11)),
        (D(2027, 6, 1), [(D(2027, 5, 20), D(2027, 6, 3))], D(2028, 6, 4)),  # only days inside
        (D(2027, 6, 1), [(D(2027, 1, 1), D(2027, 3, 1))], D(2028, 6, 1)),  # before: nothing
        (D(2027, 6, 1), [(D(2028, 6, 1), D(2028, 6, 5))], D(2028, 6, 6)),  # on the last day
        (D(2027, 6, 1), [(D(2028, 6, 2), D(2028, 6, 5))], D(2028, 6, 1)),  # after: nothing
        (
            D(2027, 6, 1),
            [(D(2027, 10, 1), D(2027, 10, 10)), (D(2027, 10, 5), D(2027, 10, 12))],
            D(2028, 6, 13),
        ),  # overlapping periods count each day once
    ],
)
def test_the_window_is_a_year_plus_recorded_illness(
    arose: datetime.date, pauses: list, last: datetime.date
) -> None:
    assert deadline(arose, pauses) == last


def _year_mark(world: World, value: str, reason: str = "", student: object = None) -> None:
    pupil = student or world.pupil_7a
    period_marks_save(
        actor=world.user("teacher_7a_math"),
        course=world.course_7a_math,
        period=None,
        entries={pupil.pk: {"value": value, "na_reason": reason}},
    )


@pytest.mark.parametrize(
    ("value", "reason", "debts"),
    [("2", "", 1), ("н/а", "invalid", 1), ("н/а", "valid", 0), ("4", "", 0)],
)
def test_saving_a_year_mark_opens_the_debt(
    world: World, value: str, reason: str, debts: int
) -> None:
    _year_mark(world, value, reason)
    found = AcademicDebt.objects.filter(student=world.pupil_7a, course=world.course_7a_math)
    assert found.count() == debts
    assert Event.objects.filter(action="debt_open").count() == debts
    if debts:
        debt = found.get()
        assert (debt.value, debt.status, debt.arose_on) == (value, "open", timezone.localdate())


def test_a_corrected_year_mark_cancels_an_untried_debt_and_reopens_it(world: World) -> None:
    _year_mark(world, "2")
    _year_mark(world, "3")
    debt = AcademicDebt.objects.get(student=world.pupil_7a)
    assert debt.status == "cancelled"
    assert Event.objects.filter(action="debt_cancel", object_id=str(debt.pk)).exists()
    _year_mark(world, "2")
    debt.refresh_from_db()
    assert debt.status == "open" and AcademicDebt.objects.count() == 1


SEPT_2 = D(2026, 9, 2)


def _debt(world: World, arose: datetime.date = SEPT_2, value: str = "2") -> AcademicDebt:
    return AcademicDebt.objects.create(
        school=world.school,
        student=world.pupil_7a,
        course=world.course_7a_math,
        year=world.year,
        value=value,
        arose_on=arose,
        created_by=world.user("deputy"),
    )


def _retake(
    world: World,
    debt: AcademicDebt,
    day: datetime.date,
    result: str,
    commission: str = "",
    persona: str = "deputy",
) -> object:
    return retake_record(
        actor=world.user(persona),
        school=world.school,
        debt_id=debt.pk,
        date=day,
        result=result,
        commission=commission,
    )


def test_two_failed_retakes_and_a_third_is_refused(world: World) -> None:
    debt = _debt(world)
    assert _retake(world, debt, D(2026, 9, 20), "2").number == 1  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="при комиссии"):
        _retake(world, debt, D(2026, 10, 20), "2")
    _retake(world, debt, D(2026, 10, 20), "н/а", commission="Петрова, Сидоров, Козлова")
    with pytest.raises(ValidationError, match="Третья пересдача не допускается"):
        _retake(world, debt, D(2026, 11, 1), "5", commission="Петрова")
    debt.refresh_from_db()
    assert debt.status == "open" and debt.retakes.count() == 2
    assert Event.objects.filter(action="retake_add").count() == 2


def test_a_passing_retake_clears_the_debt(world: World) -> None:
    debt = _debt(world)
    _retake(world, debt, D(2026, 9, 20), "3")
    debt.refresh_from_db()
    assert (debt.status, debt.closed_on) == ("closed", D(2026, 9, 20))
    assert Event.objects.filter(action="debt_close", object_id=str(debt.pk)).exists()
    with pytest.raises(ValidationError, match="не открыта"):
        _retake(world, debt, D(2026, 9, 21), "4")


@pytest.mark.parametrize(
    ("day", "result", "message"),
    [
        (D(2026, 9, 1), "3", "раньше, чем возникла"),
        (D(2099, 1, 1), "3", "дата в будущем"),
        (D(2026, 9, 20), "4+", "с плюсом или минусом"),
        (D(2026, 9, 20), "зач", "целым числом от 2 до 5"),
    ],
)
def test_bad_retakes_are_refused_with_nothing_written(
    world: World, day: datetime.date, result: str, message: str
) -> None:
    debt = _debt(world)
    with pytest.raises(ValidationError, match=message):
        _retake(world, debt, day, result)
    assert not debt.retakes.exists()


def test_recorded_illness_extends_the_window(world: World) -> None:
    debt = _debt(world, arose=D(2025, 6, 1))  # the window ended 1 June 2026
    today = timezone.localdate()
    with pytest.raises(ValidationError, match=r"истёк 01\.06\.2026"):
        _retake(world, debt, today, "4")
    pause_record(
        actor=world.user("deputy"),
        school=world.school,
        student_id=world.pupil_7a.pk,
        start=D(2025, 9, 1),
        end=D(2026, 6, 30),
        basis="справка № 12",
    )
    _retake(world, debt, today, "4")
    debt.refresh_from_db()
    assert debt.status == "closed"


def test_only_the_deputy_and_the_admin_record(world: World) -> None:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    debt = _debt(world)
    with pytest.raises(PermissionDenied):
        _retake(world, debt, D(2026, 9, 20), "3", persona="director")
    with pytest.raises(Http404):
        _retake(world, debt, D(2026, 9, 20), "3", persona="teacher_7a_math")
    # another school's deputy-like actor sees an unknown debt
    other = AcademicDebt.objects.create(
        school=world.other_school,
        student=world.other_pupil,
        course_id=world.course_7a_math.pk,
        year=world.year,
        value="2",
        arose_on=D(2026, 9, 2),
        created_by=world.user("deputy"),
    )
    with pytest.raises(ValidationError, match="задолженность не найдена"):
        _retake(world, other, D(2026, 9, 20), "3")


def test_conditional_transfer_needs_a_debt_or_a_valid_na(world: World) -> None:
    deputy = world.user("deputy")

    def transfer(student: object) -> ConditionalTransfer:
        return transfer_record(
            actor=deputy,
            school=world.school,
            student_id=student.pk,  # type: ignore[attr-defined]
            year=world.year,
            order_number="15-у",
            order_date=D(2027, 5, 30),
        )

    with pytest.raises(ValidationError, match="с открытой академической задолженностью"):
        transfer(world.pupil_7a)
    _debt(world)
    assert transfer(world.pupil_7a).order_number == "15-у"
    with pytest.raises(ValidationError, match="уже переведён условно"):
        transfer(world.pupil_7a)
    (second,) = add_students(world, 1)
    _year_mark(world, "н/а", "valid", student=second)
    transfer(second)
    rows = transfer_rows(school=world.school, year=world.year)
    assert [(r["school_class"], r["subjects"]) for r in rows] == [
        ("7А", ["Математика"]),
        ("7А", []),
    ]
    assert Event.objects.filter(action="transfer_add").count() == 2


def test_the_year_check_opens_missing_debts(world: World) -> None:
    students = add_students(world, 3)
    teacher = world.user("teacher_7a_math")
    for s, value, reason in zip(
        students, ("2", "н/а", "н/а"), ("", "invalid", "valid"), strict=True
    ):
        PeriodMark.objects.create(
            school=world.school,
            student=s,
            course=world.course_7a_math,
            year=world.year,
            value=value,
            na_reason=reason,
            created_by=teacher,
            updated_by=teacher,
        )
    assert debts_check_year(actor=world.user("deputy"), school=world.school, year=world.year) == 2
    assert debts_check_year(actor=world.user("deputy"), school=world.school, year=world.year) == 0


def test_the_report_reads_constant_queries_and_filters_by_class(world: World) -> None:
    deputy = world.user("deputy")
    _debt(world)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            debt_rows(user=deputy, school=world.school, year=world.year)
        return len(ctx)

    count()  # the user's roles are read once per request
    few = count()
    assert few == 5
    for s in add_students(world, 6):
        AcademicDebt.objects.create(
            school=world.school,
            student=s,
            course=world.course_7a_math,
            year=world.year,
            value="2",
            arose_on=D(2026, 9, 2),
            created_by=deputy,
        )
    assert count() == few
    assert (
        len(
            debt_rows(user=deputy, school=world.school, year=world.year, class_id=world.class_7b.pk)
        )
        == 0
    )
    teacher_rows = debt_rows(user=world.user("teacher_7b"), school=world.school, year=world.year)
    assert teacher_rows == []  # not the teacher of 7А maths


def test_the_report_page_and_its_xlsx(world: World) -> None:
    debt = _debt(world)
    _retake(world, debt, D(2026, 9, 20), "2")
    client = Client()
    client.force_login(world.user("deputy"))
    page = client.get("/grading/debts/")
    assert page.status_code == 200
    assert "Иванов Иван" in page.content.decode()
    response = client.get(f"/grading/debts/xlsx/?class={world.class_7a.pk}")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value.endswith("2026/2027")
    assert [c.value for c in ws[3]][1:5] == ["Иванов Иван", "7А", "Математика", "2"]
    assert "20.09.2026 «2»" in ws["H3"].value
    assert ws.freeze_panes == "A3"
    _debt_transfer = transfer_record(
        actor=world.user("deputy"),
        school=world.school,
        student_id=world.pupil_7a.pk,
        year=world.year,
        order_number="7",
        order_date=D(2026, 10, 1),
    )
    ws = load_workbook(io.BytesIO(client.get("/grading/transfers/xlsx/").content)).active
    assert [c.value for c in ws[3]][1:4] == ["Иванов Иван", "7А", "7"]
    assert ws["F3"].value == "Математика"


def test_a_bad_form_shows_a_russian_message_and_writes_nothing(world: World) -> None:
    debt = _debt(world)
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(world.user("deputy"))
    response = client.post(
        f"/grading/debts/{debt.pk}/retake/", {"date": "2026-09-20", "result": "4\x00"}
    )
    assert response.status_code == 400 and not debt.retakes.exists()
    response = client.post(
        f"/grading/debts/{debt.pk}/retake/", {"date": "2026-09-20", "result": "2"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/grading/debts/{debt.pk}/retake/", {"date": "2026-09-21", "result": "2"}
    )
    assert response.status_code == 400 and debt.retakes.count() == 1
    response = client.post(
        "/grading/transfers/",
        {"student": "9" * 30, "order_number": "1", "order_date": "2026-10-01"},
    )
    assert response.status_code == 400 and not ConditionalTransfer.objects.exists()


def test_a_family_reads_its_own_debts(world: World) -> None:
    _debt(world)
    client = Client()
    client.force_login(world.user("guardian_7a"))
    page = client.get(f"/grading/student/{world.pupil_7a.pk}/debts/").content.decode()
    assert "Математика" in page
    assert client.get(f"/grading/student/{world.pupil_7b.pk}/debts/").status_code == 404
