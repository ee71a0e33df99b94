"""Suggestions for pass/fail courses («зач»/«незач»): the rule, the page and the gradesheet."""

import pytest
from django.test import Client

from otmetka.curriculum.models import AssessmentMode
from otmetka.grading.models import PeriodMark
from otmetka.grading.policy import pass_fail_suggest, pass_fail_year_suggest
from otmetka.grading.selectors import period_rows
from otmetka.grading.services import period_marks_save
from otmetka.reports.selectors import class_sheet
from tests.grading.conftest import GradingWorld, give_marks


@pytest.mark.parametrize(
    ("passes", "total", "suggested"),
    [(0, 0, ""), (1, 1, "зач"), (1, 4, "зач"), (3, 3, "зач"), (0, 1, "незач"), (0, 5, "незач")],
)
def test_the_period_rule(passes: int, total: int, suggested: str) -> None:
    assert pass_fail_suggest(passes, total) == suggested


@pytest.mark.parametrize(
    ("periods", "suggested"),
    [
        ([], ""),
        (["", ""], ""),
        (["зач", "зач", "зач", "зач"], "зач"),
        (["зач", "", "зач"], "зач"),
        (["зач", "незач", "зач"], "незач"),
        (["осв", "зач"], "зач"),
        (["н/а", "незач"], "незач"),
        (["н/а"], ""),
    ],
)
def test_the_year_rule(periods: list[str], suggested: str) -> None:
    assert pass_fail_year_suggest(periods) == suggested


def test_the_page_and_the_gradesheet_suggest(grading: GradingWorld) -> None:
    world = grading.world
    course = world.course_7a_math
    course.assessment = AssessmentMode.PASS_FAIL
    course.save()
    give_marks(grading, world.pupil_7a.pk, [("незач", grading.answer), ("зач", grading.answer)])
    (row,) = period_rows(course, grading.q2)
    assert (row.count, row.suggestion) == (2, "зач")
    period_marks_save(
        actor=world.user("teacher_7a_math"),
        course=course,
        period=grading.q2,
        entries={world.pupil_7a.pk: {"value": "незач"}},
    )
    mark = PeriodMark.objects.get(student=world.pupil_7a)
    assert (mark.suggested, mark.differs) == ("зач", True)
    data = class_sheet(school_class=world.class_7a, asked=str(grading.q2.pk))
    (cell,) = [c for c in data["sheet"].lines[0].cells if c is not None]
    assert (cell.mark, cell.suggestion, cell.differs) == ("незач", "зач", True)
    client = Client()
    client.force_login(world.user("deputy"))
    page = client.get(f"/reports/gradesheet/{world.class_7a.pk}/?period={grading.q2.pk}")
    assert 'title="Предложено">зач</small>' in page.content.decode()
