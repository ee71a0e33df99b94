"""Writing period marks: suggestions stored beside values, codes, closed periods, audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from otmetka.audit.models import Event
from otmetka.grading.models import MarkingPolicy, PeriodMark
from otmetka.grading.selectors import period_marks_for_student, period_rows
from otmetka.grading.services import PeriodMarksError, period_marks_save
from tests.grading.conftest import GradingWorld, give_marks


def _save(
    gw: GradingWorld, persona: str, entries: dict, period: object = "q2", **kw: object
) -> int:
    return period_marks_save(
        actor=gw.world.user(persona), course=gw.world.course_7a_math,
        period=gw.q2 if period == "q2" else period, entries=entries, **kw,
    )  # fmt: skip


def test_the_suggestion_follows_the_weighted_mean(grading: GradingWorld) -> None:
    pupil = grading.world.pupil_7a
    give_marks(grading, pupil.pk, [("5", grading.answer), ("5", grading.answer),
                                   ("4", grading.test)])  # fmt: skip
    (row,) = period_rows(grading.world.course_7a_math, grading.q2)
    assert str(row.average) == "4.40" and row.suggestion == "4" and row.count == 3
    assert not row.too_few  # 3 marks for 1 hour a week
    MarkingPolicy.objects.create(school=grading.world.school, mean="simple")
    (row,) = period_rows(grading.world.course_7a_math, grading.q2)
    assert str(row.average) == "4.67" and row.suggestion == "5"


def test_a_teacher_accepts_a_suggestion_and_overrides_with_na(grading: GradingWorld) -> None:
    pupil = grading.world.pupil_7a
    give_marks(grading, pupil.pk, [("5", grading.answer), ("4", grading.answer)])
    assert _save(grading, "teacher_7a_math", {pupil.pk: {"value": "5"}}) == 1
    mark = PeriodMark.objects.get(student=pupil)
    assert (mark.value, mark.suggested, mark.differs) == ("5", "5", False)
    assert _save(grading, "teacher_7a_math", {pupil.pk: {"value": "5"}}) == 0  # unchanged
    _save(grading, "teacher_7a_math", {pupil.pk: {"value": "на", "na_reason": "invalid"}})
    mark.refresh_from_db()
    assert (mark.value, mark.na_reason, mark.differs) == ("н/а", "invalid", True)
    actions = list(
        Event.objects.filter(object_type="grading.periodmark").order_by("pk").values_list(
            "action", flat=True)
    )  # fmt: skip
    assert actions == ["period_mark_add", "period_mark_change"]
    _save(grading, "teacher_7a_math", {pupil.pk: {"value": ""}})
    mark.refresh_from_db()
    assert mark.is_deleted  # soft: the row and its history stay
    assert Event.objects.filter(action="period_mark_delete", before__value="н/а").exists()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"value": "н/а"}, "«н/а» needs its reason"),
        ({"value": "осв"}, "«осв» needs its basis"),
        ({"value": "4+"}, "plus or minus"),
        ({"value": "4.5"}, "Fractional"),
        ({"value": "6"}, "from 2 to 5"),
        ({"value": "зач"}, "from 2 to 5"),
        ({"value": "5\x00"}, "NUL"),
        ({"value": "x" * 100}, "Unknown period mark"),
        ({"value": "осв", "basis": "б" * 201}, "200"),
    ],
)
def test_bad_values_are_refused_in_russian_and_nothing_is_written(
    grading: GradingWorld, entry: dict, message: str
) -> None:
    from django.utils import translation

    pupil, other = grading.world.pupil_7a, grading.world.pupil_7b
    with translation.override("en"), pytest.raises(PeriodMarksError) as exc:
        _save(grading, "teacher_7a_math", {pupil.pk: entry})
    assert message in exc.value.errors[pupil.pk]
    with pytest.raises(PeriodMarksError) as exc:
        _save(grading, "teacher_7a_math", {pupil.pk: entry})
    assert any("а" <= ch <= "я" for ch in exc.value.errors[pupil.pk])  # Russian by default
    with pytest.raises(PeriodMarksError):  # a student of 7Б is not in the course
        _save(grading, "teacher_7a_math", {other.pk: {"value": "5"}})
    assert (
        not PeriodMark.objects.exists()
        and not Event.objects.filter(object_type="grading.periodmark").exists()
    )


def test_exempt_keeps_its_basis(grading: GradingWorld) -> None:
    pupil = grading.world.pupil_7a
    _save(grading, "teacher_7a_math", {pupil.pk: {"value": "осв", "basis": "справка № 17"}})
    assert PeriodMark.objects.get(student=pupil).basis == "справка № 17"


def test_closed_period_only_the_deputy_with_a_reason(grading: GradingWorld) -> None:
    pupil = grading.world.pupil_7a
    with pytest.raises(PermissionDenied):  # the 1st quarter closed 10 days after its end
        _save(grading, "teacher_7a_math", {pupil.pk: {"value": "5"}}, period=grading.q1)
    with pytest.raises(ValidationError, match="причину"):
        _save(grading, "deputy", {pupil.pk: {"value": "5"}}, period=grading.q1)
    _save(grading, "deputy", {pupil.pk: {"value": "5"}}, period=grading.q1, reason="Ошибка")
    assert Event.objects.get(action="period_mark_add").reason == "Ошибка"
    _save(grading, "admin", {pupil.pk: {"value": "4"}}, period=grading.q1, reason="Пересдача")
    assert PeriodMark.objects.get(student=pupil, is_deleted=False).value == "4"


@pytest.mark.parametrize(
    ("persona", "error"),
    [("director", PermissionDenied), ("homeroom_7a", PermissionDenied), ("teacher_7b", Http404),
     ("guardian_7a", Http404), ("teacher_other_school", Http404), ("student_7a", Http404)],
)  # fmt: skip
def test_who_may_not_write(grading: GradingWorld, persona: str, error: type) -> None:
    with pytest.raises(error):
        _save(grading, persona, {grading.world.pupil_7a.pk: {"value": "5"}}, reason="x")
    assert not PeriodMark.objects.exists()


def test_year_marks_follow_the_period_marks(grading: GradingWorld) -> None:
    pupil = grading.world.pupil_7a
    _save(grading, "deputy", {pupil.pk: {"value": "5"}}, period=grading.q1, reason="итог")
    _save(grading, "teacher_7a_math", {pupil.pk: {"value": "4"}})
    (row,) = period_rows(grading.world.course_7a_math, None)
    assert row.periods == ["5", "4", "", ""] and row.suggestion == "5"  # 4.5 half up
    _save(grading, "teacher_7a_math", {pupil.pk: {"value": "5"}}, period=None)
    year_mark = PeriodMark.objects.get(student=pupil, period__isnull=True)
    assert (year_mark.value, year_mark.suggested, year_mark.year_id) == (
        "5",
        "5",
        grading.q2.year_id,
    )


def test_the_family_reads_only_its_own(grading: GradingWorld) -> None:
    w = grading.world
    _save(grading, "teacher_7a_math", {w.pupil_7a.pk: {"value": "4"}})
    for persona in ("guardian_7a", "student_7a", "homeroom_7a", "deputy"):
        rows = period_marks_for_student(user=w.user(persona), school=w.school,
                                        student_id=w.pupil_7a.pk)  # fmt: skip
        assert [(r["subject"], r["value"]) for r in rows] == [("Математика", "4")]
    for persona in ("student_7b", "teacher_7b", "teacher_other_school", "outsider"):
        with pytest.raises(Http404):
            period_marks_for_student(user=w.user(persona), school=w.school,
                                     student_id=w.pupil_7a.pk)  # fmt: skip
