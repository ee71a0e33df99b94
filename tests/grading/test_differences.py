"""The director's list of period marks unlike their suggestion (`period_differences`) sums the
current marks in the database and suggests from integer sums: it must list exactly what the
reference arithmetic (`policy.suggest` on each student's marks, as the period marks page does)
flags, on a generated school, under each kind of policy."""

import datetime
from decimal import Decimal

import pytest

from otmetka.curriculum.models import AssessmentMode
from otmetka.demo.generator import generate
from otmetka.grading import policy as rules_of
from otmetka.grading.models import MarkingPolicy, PeriodMark
from otmetka.grading.selectors import current_marks, low_of, pass_fail_counts, period_differences
from otmetka.journal.models import MarkKind
from otmetka.journal.validation import POINT_MODES
from otmetka.school.models import Period

TODAY = datetime.date(2026, 11, 18)


def _reference(school: object, period: Period) -> list[tuple[int, str, str, str]]:
    """(course, student's name, value, suggestion) of every differing mark, by the page's
    arithmetic."""
    marks = PeriodMark.objects.filter(period=period, is_deleted=False).select_related(
        "course__school_class", "student"
    )
    ids = sorted({m.course_id for m in marks})
    points = current_marks(ids, period.start, period.end)
    tallies = pass_fail_counts(ids, period.start, period.end)
    found = []
    for m in marks:
        course, key = m.course, (m.course_id, m.student_id)
        grade = course.school_class.grade if course.school_class_id else None
        policy = (
            MarkingPolicy.objects.filter(school=school, grade=grade).first()
            or MarkingPolicy.objects.filter(school=school, grade__isnull=True).first()
            or MarkingPolicy()
        )
        if course.assessment in POINT_MODES:
            suggestion = rules_of.suggest(
                points.get(key, []), rules_of.Rules.of(policy), low=low_of(course)
            )
        elif course.assessment == AssessmentMode.PASS_FAIL:
            suggestion = rules_of.pass_fail_suggest(*tallies.get(key, (0, 0)))
        else:
            continue
        name = f"{m.student.last_name} {m.student.first_name}"
        if suggestion and m.value != suggestion:
            found.append((m.course_id, name, m.value, suggestion))
    return found


@pytest.mark.parametrize(
    "mean,rounding",
    [
        (MarkingPolicy.Mean.WEIGHTED, MarkingPolicy.Rounding.HALF_UP),
        (MarkingPolicy.Mean.SIMPLE, MarkingPolicy.Rounding.HALF_UP),
        (MarkingPolicy.Mean.WEIGHTED, MarkingPolicy.Rounding.THRESHOLDS),
    ],
)
def test_the_differences_are_the_reference_arithmetics(db: None, mean: str, rounding: str) -> None:
    demo = generate(seed=7, classes_per_grade=(1, 1), students_per_class=5, today=TODAY)
    school = demo.schools[0]
    q1 = Period.objects.get(school=school, scheme="quarters", number=1)
    # Fractional weights and half-way means: a kind of weight 1.5 on some marks.
    kind = MarkKind.objects.filter(school=school).first() or MarkKind.objects.first()
    assert kind is not None
    MarkKind.objects.filter(pk=kind.pk).update(weight=Decimal("1.5"))
    MarkingPolicy.objects.update_or_create(
        school=school, grade=None,
        defaults={"mean": mean, "rounding": rounding, "threshold_5": Decimal("4.5"),
                  "threshold_4": Decimal("3.5"), "threshold_3": Decimal("2.5")},
    )  # fmt: skip
    # Some period marks set one below their suggestion, so the list is not empty.
    for m in PeriodMark.objects.filter(period=q1, value__in=("3", "4", "5"))[:7]:
        PeriodMark.objects.filter(pk=m.pk).update(value=str(int(m.value) - 1))
    expected = _reference(school, q1)
    found = period_differences(school=school, start=q1.start, end=q1.end)
    assert len(expected) >= 7
    assert sorted((d.course_id, d.student, d.value, d.suggestion) for d in found) == sorted(
        expected
    )
