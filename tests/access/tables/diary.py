# ruff: noqa: E501  (the table keeps one endpoint a line, as tests/access/endpoints.py)
"""The diary's endpoints (issue 11): students and guardians read their own diary, the homeroom
teacher their class; everyone else gets 404, in the other school too."""

from tests.access.endpoints import Route, _homework_file, object_route, route

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
"""
