# ruff: noqa: E501  (the table keeps one endpoint a line, as tests/access/endpoints.py)
"""The diary's endpoints (issue 11): students and guardians read their own diary, the homeroom
teacher their class; everyone else gets 404, in the other school too."""

from tests.access.endpoints import Route, _homework_file, no_data, object_route, route
from tests.world import World


def _class_url(w: World, school_class: object, tail: str = "") -> str:
    return f"/diary/class/{school_class.pk}/{tail}"  # type: ignore[attr-defined]


ROUTES: dict[str, Route] = {
    "diary: the week": route("get", "/diary/"),
    "diary: another week": route("get", "/diary/?date=2026-11-09"),
    "diary: marks": route("get", "/diary/marks/"),
    "diary: homework": route("get", "/diary/homework/"),
    "diary: timetable": route("get", "/diary/timetable/"),
    "diary: open the 7А student's diary": route(
        "post", "/diary/child/", lambda w: {"student": w.pupil_7a.pk}
    ),
    "diary: open the other school's student's diary": route(
        "post", "/diary/child/", lambda w: {"student": w.other_pupil.pk}
    ),
    "diary: switching child by GET": route("get", "/diary/child/"),
    "diary: a homework file of 7А maths": object_route("get", "/diary/files/{pk}/", _homework_file),
    "diary: a homework file of the other school": object_route(
        "get", "/diary/files/{pk}/", lambda w: _homework_file(w, other_school=True)
    ),
    "diary: the class page of 7А": object_route("get", "/diary/class/{pk}/", "class_7a"),
    "diary: the summary of 7А": object_route("get", "/diary/class/{pk}/summary/", "class_7a"),
    "diary: the class page of 7Б": object_route("get", "/diary/class/{pk}/", "class_7b"),
    "diary: the summary of the other school's class": object_route(
        "get", "/diary/class/{pk}/summary/", "other_class"
    ),
    "diary: the summary of 7А sorted by mean": Route(
        "get", lambda w: _class_url(w, w.class_7a, "summary/?sort=mean"), no_data
    ),
    "diary: the summary of 7А as XLSX": Route(
        "get", lambda w: _class_url(w, w.class_7a, "summary.xlsx"), no_data
    ),
    "diary: the XLSX of the other school's class": Route(
        "get", lambda w: _class_url(w, w.other_class, "summary.xlsx"), no_data
    ),
    "diary: the attendance of 7А": Route(
        "get", lambda w: _class_url(w, w.class_7a, "attendance/?span=month"), no_data
    ),
    "diary: the attendance of the other school's class": Route(
        "get", lambda w: _class_url(w, w.other_class, "attendance/"), no_data
    ),
    "diary: a reason for 7А without a student": Route(
        "post", lambda w: _class_url(w, w.class_7a, "attendance/reason/"), lambda w: {"code": "б"}
    ),
    "diary: a reason for the other school's student": Route(
        "post",
        lambda w: _class_url(w, w.other_class, "attendance/reason/"),
        lambda w: {"student": w.other_pupil.pk, "date": "2026-11-16", "code": "б"},
    ),
    "diary: the login slips of 7А": Route(
        "post", lambda w: _class_url(w, w.class_7a, "slips/"), no_data
    ),
    "diary: the login slips by GET": Route(
        "get", lambda w: _class_url(w, w.class_7a, "slips/"), no_data
    ),
    "diary: the login slips of the other school's class": Route(
        "post", lambda w: _class_url(w, w.other_class, "slips/"), no_data
    ),
    "diary API: children": Route("get", lambda w: "/api/v1/diary/children", no_data),
    "diary API: the 7А student's week": Route(
        "get", lambda w: f"/api/v1/diary/{w.pupil_7a.pk}/week?date=2026-11-16", no_data
    ),
    "diary API: the 7А student's marks": Route(
        "get", lambda w: f"/api/v1/diary/{w.pupil_7a.pk}/marks", no_data
    ),
    "diary API: the 7А student's homework": Route(
        "get", lambda w: f"/api/v1/diary/{w.pupil_7a.pk}/homework", no_data
    ),
    "diary API: the other school's student's week": Route(
        "get", lambda w: f"/api/v1/diary/{w.other_pupil.pk}/week", no_data
    ),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
diary: the week                                       302  404   404    404 404  404   404 404 404 404  200 200 200 404    404    404
diary: another week                                   302  404   404    404 404  404   404 404 404 404  200 200 200 404    404    404
diary: marks                                          302  404   404    404 404  404   404 404 404 404  200 200 200 404    404    404
diary: homework                                       302  404   404    404 404  404   404 404 404 404  200 200 200 404    404    404
diary: timetable                                      302  404   404    404 404  404   404 404 404 404  200 200 200 404    404    404
diary: open the 7А student's diary                    302  404   404    404 404  404   404 404 404 404  302 404 302 404    404    404
diary: open the other school's student's diary        302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
diary: switching child by GET                         302  405   405    405 405  405   405 405 405 405  405 405 405 405    405    405
diary: a homework file of 7А maths                    302  404   404    404 404  404   404 404 404 404  200 404 200 404    404    404
diary: a homework file of the other school            302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
diary: the class page of 7А                           302  404   404    404 404  404   404 404 404 200  404 404 404 404    404    404
diary: the summary of 7А                              302  404   404    404 404  404   404 404 404 200  404 404 404 404    404    404
diary: the class page of 7Б                           302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
diary: the summary of the other school's class        302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
diary: the summary of 7А sorted by mean               302  404   404    404 404  404   404 404 404 200  404 404 404 404    404    404
diary: the summary of 7А as XLSX                      302  404   404    404 404  404   404 404 404 200  404 404 404 404    404    404
diary: the XLSX of the other school's class           302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
diary: the attendance of 7А                           302  404   404    404 404  404   404 404 404 200  404 404 404 404    404    404
diary: the attendance of the other school's class     302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
diary: a reason for 7А without a student              302  404   404    404 404  404   404 404 404 400  404 404 404 404    404    404
diary: a reason for the other school's student        302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
diary: the login slips of 7А                          302  404   404    404 404  404   404 404 404 200  404 404 404 404    404    404
diary: the login slips by GET                         302  405   405    405 405  405   405 405 405 405  405 405 405 405    405    405
diary: the login slips of the other school's class    302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
diary API: children                                   401  404   404    404 404  404   404 404 404 404  200 200 200 404    404    404
diary API: the 7А student's week                      401  404   404    404 404  404   404 404 404 404  200 404 200 404    404    404
diary API: the 7А student's marks                     401  404   404    404 404  404   404 404 404 404  200 404 200 404    404    404
diary API: the 7А student's homework                  401  404   404    404 404  404   404 404 404 404  200 404 200 404    404    404
diary API: the other school's student's week          401  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
"""
