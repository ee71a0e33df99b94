# ruff: noqa: E501
"""Routes of the summary gradesheets (`otmetka.access.reports`)."""

from tests.access.endpoints import object_route, route

ROUTES = {
    "reports: gradesheets": route("get", "/reports/"),
    "reports: gradesheet of 7А": object_route("get", "/reports/gradesheet/{pk}/", "class_7a"),
    "reports: gradesheet of 7А as XLSX": object_route(
        "get", "/reports/gradesheet/{pk}/xlsx/?period=year", "class_7a"
    ),
    "reports: gradesheet of 7А as PDF": object_route(
        "get", "/reports/gradesheet/{pk}/pdf/", "class_7a"
    ),
    "reports: gradesheet of another school's class": object_route(
        "get", "/reports/gradesheet/{pk}/", "other_class"
    ),
    "reports: gradesheet of the school": route("get", "/reports/gradesheet/school/"),
    "reports: monitoring": route("get", "/reports/monitoring/"),
    "reports: monitoring, lessons of 7А maths": object_route(
        "get", "/reports/monitoring/lessons/course/{pk}/", "course_7a_math"
    ),
    "reports: monitoring, another school's class": object_route(
        "get", "/reports/monitoring/lessons/class/{pk}/", "other_class"
    ),
    "reports: monitoring as XLSX": route("get", "/reports/monitoring/xlsx/"),
    "reports: procedures' schedule as CSV": route("get", "/reports/monitoring/procedures.csv"),
    "reports: the director's page": route("get", "/reports/director/"),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
reports: gradesheets                                  302  200   200    200 404  404   404 404 404 200  404 404 404 404    404    404
reports: gradesheet of 7А                             302  200   200    200 404  404   404 404 404 200  404 404 404 404    404    404
reports: gradesheet of 7А as XLSX                     302  200   200    200 404  404   404 404 404 200  404 404 404 404    404    404
reports: gradesheet of 7А as PDF                      302  200   200    200 404  404   404 404 404 200  404 404 404 404    404    404
reports: gradesheet of another school's class         302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
reports: gradesheet of the school                     302  200   200    200 404  404   404 404 404 404  404 404 404 404    404    404
reports: monitoring                                   302  404   200    200 404  404   404 404 404 404  404 404 404 404    404    404
reports: monitoring, lessons of 7А maths              302  404   200    200 404  404   404 404 404 404  404 404 404 404    404    404
reports: monitoring, another school's class          302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
reports: monitoring as XLSX                           302  404   200    200 404  404   404 404 404 404  404 404 404 404    404    404
reports: procedures' schedule as CSV                  302  404   200    200 404  404   404 404 404 404  404 404 404 404    404    404
reports: the director's page                          302  404   404    200 404  404   404 404 404 404  404 404 404 404    404    404
"""
