# ruff: noqa: E501
"""Routes of academic debts and conditional transfers (`otmetka.access.debts`)."""

import datetime

from tests.access.endpoints import Route, no_data
from tests.world import World


def debt_of(w: World, *, other: bool = False) -> int:
    """A debt of 7А maths (or of the other school's pupil), made on first use."""
    from otmetka.curriculum.models import Course
    from otmetka.grading.models import AcademicDebt

    if other:
        course = Course.objects.get(school=w.other_school)
        student, school = w.other_pupil, w.other_school
    else:
        course, student, school = w.course_7a_math, w.pupil_7a, w.school
    debt, _ = AcademicDebt.objects.get_or_create(
        student=student,
        course=course,
        year=course.year,
        defaults={
            "school": school,
            "value": "2",
            "arose_on": datetime.date(2026, 9, 2),
            "created_by": w.user("deputy"),
        },
    )
    return debt.pk


ROUTES = {
    "debts: report": Route("get", lambda w: "/grading/debts/", no_data),
    "debts: report as XLSX": Route("get", lambda w: "/grading/debts/xlsx/?open=1", no_data),
    "debts: check the year marks": Route("post", lambda w: "/grading/debts/check/", no_data),
    "debts: a debt of 7А": Route("get", lambda w: f"/grading/debts/{debt_of(w)}/", no_data),
    "debts: a debt of another school": Route(
        "get", lambda w: f"/grading/debts/{debt_of(w, other=True)}/", no_data
    ),
    "debts: record a retake": Route(
        "post",
        lambda w: f"/grading/debts/{debt_of(w)}/retake/",
        lambda w: {"date": "2026-09-20", "result": "2"},
    ),
    "debts: record an illness": Route(
        "post",
        lambda w: f"/grading/debts/{debt_of(w)}/illness/",
        lambda w: {"start": "2026-10-01", "end": "2026-10-10", "basis": "справка № 1"},
    ),
    "debts: conditionally transferred": Route("get", lambda w: "/grading/transfers/", no_data),
    "debts: transfer conditionally": Route(
        "post",
        lambda w: "/grading/transfers/",
        lambda w: {
            "student": w.pupil_7a.pk if debt_of(w) else 0,
            "order_number": "15-у",
            "order_date": "2026-09-30",
        },
    ),
    "debts: conditionally transferred as XLSX": Route(
        "get", lambda w: "/grading/transfers/xlsx/", no_data
    ),
    "debts: a student's own debts": Route(
        "get", lambda w: f"/grading/student/{w.pupil_7a.pk}/debts/", no_data
    ),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
debts: report                                         302  200   200    200 404  404   404 200 200 200  404 404 404 200    404    404
debts: report as XLSX                                 302  200   200    200 404  404   404 200 200 200  404 404 404 200    404    404
debts: check the year marks                           302  302   302    403 404  404   404 404 404 404  404 404 404 404    404    404
debts: a debt of 7А                                   302  200   200    200 404  404   404 200 404 404  200 404 200 404    404    404
debts: a debt of another school                       302  404   404    404 404  404   404 404 404 404  404 404 404 200    404    404
debts: record a retake                                302  302   302    403 404  404   404 404 404 404  404 404 404 404    404    404
debts: record an illness                              302  302   302    403 404  404   404 404 404 404  404 404 404 404    404    404
debts: conditionally transferred                      302  200   200    200 404  404   404 404 404 404  404 404 404 404    404    404
debts: transfer conditionally                         302  302   302    403 404  404   404 404 404 404  404 404 404 404    404    404
debts: conditionally transferred as XLSX              302  200   200    200 404  404   404 404 404 404  404 404 404 404    404    404
debts: a student's own debts                          302  200   200    200 404  404   404 404 404 404  200 404 200 404    404    404
"""
