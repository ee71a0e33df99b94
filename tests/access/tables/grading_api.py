# ruff: noqa: E501
"""Routes of the period marks API (`otmetka.api.grading`, `otmetka.access.grading`)."""

from tests.access.endpoints import Route, no_data

ROUTES = {
    "grading API: period marks of 7А maths": Route(
        "get", lambda w: f"/api/v1/grading/courses/{w.course_7a_math.pk}/period-marks", no_data
    ),
    "grading API: year marks of 7А maths": Route(
        "get",
        lambda w: f"/api/v1/grading/courses/{w.course_7a_math.pk}/period-marks?year=true",
        no_data,
    ),
    "grading API: a student's period marks": Route(
        "get", lambda w: f"/api/v1/grading/students/{w.pupil_7a.pk}/period-marks", no_data
    ),
    "grading API: set period marks of 7А maths": Route(
        "post",
        lambda w: f"/api/v1/grading/courses/{w.course_7a_math.pk}/period-marks",
        lambda w: {"entries": [{"student": w.pupil_7a.pk, "value": ""}], "reason": "проверка"},
        json=True,
    ),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
grading API: period marks of 7А maths                 401  200   200    200 404  404   404 200 404 200  404 404 404 404    404    404
grading API: year marks of 7А maths                   401  200   200    200 404  404   404 200 404 200  404 404 404 404    404    404
grading API: a student's period marks                 401  200   200    200 200  200   404 200 404 200  200 404 200 404    404    404
grading API: set period marks of 7А maths             401  200   200    403 404  404   404 200 404 403  404 404 404 404    404    404
"""
