# ruff: noqa: E501
"""Routes of period marks and the marking policy (`otmetka.access.grading`)."""

from tests.access.endpoints import Route, no_data, object_route, other_school_course, route
from tests.world import World


def _mastery(w: World) -> int:
    from tests.grading.conftest import mastery_course

    return int(mastery_course(w).pk)


def _q2(w: World, school: object = None) -> int:
    from otmetka.school.models import Period

    return Period.objects.get(school=school or w.school, number=2).pk


POLICY = {
    "mean": "weighted", "rounding": "half_up", "threshold_5": "4.65", "threshold_4": "3.65",
    "threshold_3": "2.65", "min_short_1h": 3, "min_short_2h": 5, "min_short_3h": 7,
    "min_half_1h": 5, "min_half_2h": 8, "min_half_3h": 10, "warn_days": 14,
    "year_rule": "periods", "attestation_kind": "", "attestation_weight": "1",
}  # fmt: skip

ROUTES = {
    "grading: period marks of 7А maths": object_route(
        "get", "/grading/course/{pk}/", "course_7a_math"
    ),
    "grading: year marks of 7А maths": object_route(
        "get", "/grading/course/{pk}/?period=year", "course_7a_math"
    ),
    "grading: save period marks of 7А maths": object_route(
        "post",
        "/grading/course/{pk}/",
        "course_7a_math",
        lambda w: {f"v_{w.pupil_7a.pk}": "", "reason": "проверка"},
    ),
    "grading: period marks of another school's course": object_route(
        "get", "/grading/course/{pk}/", other_school_course
    ),
    "grading: period mark typed in the grid": object_route(
        "post",
        "/grading/course/{pk}/grid/",
        "course_7a_math",
        lambda w: {"period": _q2(w), "student": w.pupil_7a.pk, "value": "5", "reason": "проверка"},
        json=True,
    ),
    "grading: period mark of another school's course": object_route(
        "post",
        "/grading/course/{pk}/grid/",
        other_school_course,
        lambda w: {"period": _q2(w, w.other_school), "student": w.other_pupil.pk, "value": "5"},
        json=True,
    ),
    "grading: mastery sheet of 7А robotics": Route(
        "get", lambda w: f"/grading/mastery/{_mastery(w)}/?period={_q2(w)}", no_data
    ),
    "grading: save the mastery sheet of 7А robotics": Route(
        "post",
        lambda w: f"/grading/mastery/{_mastery(w)}/?period={_q2(w)}",
        lambda w: {f"v_{w.pupil_7a.pk}": "зач", "reason": "проверка"},
    ),
    "grading: mastery sheet of 7А robotics as XLSX": Route(
        "get", lambda w: f"/grading/mastery/{_mastery(w)}/xlsx/?period={_q2(w)}", no_data
    ),
    "grading: mastery sheet of a lesson course": object_route(
        "get", "/grading/mastery/{pk}/", "course_7a_math"
    ),
    "grading: marking policy": route("get", "/grading/policy/"),
    "grading: save the marking policy": route("post", "/grading/policy/?grade=7", lambda w: POLICY),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
grading: period marks of 7А maths                     302  200   200    200 404  404   404 200 404 200  404 404 404 404    404    404
grading: year marks of 7А maths                       302  200   200    200 404  404   404 200 404 200  404 404 404 404    404    404
grading: save period marks of 7А maths                302  302   302    403 404  404   404 302 404 403  404 404 404 404    404    404
grading: period marks of another school's course      302  404   404    404 404  404   404 404 404 404  404 404 404 200    404    404
grading: period mark typed in the grid                302  200   200    403 404  404   404 200 404 403  404 404 404 404    404    404
grading: period mark of another school's course       302  404   404    404 404  404   404 404 404 404  404 404 404 200    404    404
grading: mastery sheet of 7А robotics                302  200   200    200 404  404   404 200 404 200  404 404 404 404    404    404
grading: save the mastery sheet of 7А robotics        302  302   302    403 404  404   404 302 404 403  404 404 404 404    404    404
grading: mastery sheet of 7А robotics as XLSX        302  200   200    200 404  404   404 200 404 200  404 404 404 404    404    404
grading: mastery sheet of a lesson course             302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
grading: marking policy                               302  200   200    200 404  404   404 404 404 404  404 404 404 404    404    404
grading: save the marking policy                      302  302   302    403 404  404   404 404 404 404  404 404 404 404    404    404
"""
