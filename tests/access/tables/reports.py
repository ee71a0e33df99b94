# ruff: noqa: E501
"""Routes of the summary gradesheets (`otmetka.access.reports`)."""

from tests.access.endpoints import Route, no_data

ROUTES = {
    "reports: gradesheets": Route("get", lambda w: "/reports/", no_data),
    "reports: gradesheet of 7А": Route(
        "get", lambda w: f"/reports/gradesheet/{w.class_7a.pk}/", no_data
    ),
    "reports: gradesheet of 7А as XLSX": Route(
        "get", lambda w: f"/reports/gradesheet/{w.class_7a.pk}/xlsx/?period=year", no_data
    ),
    "reports: gradesheet of 7А as PDF": Route(
        "get", lambda w: f"/reports/gradesheet/{w.class_7a.pk}/pdf/", no_data
    ),
    "reports: gradesheet of another school's class": Route(
        "get", lambda w: f"/reports/gradesheet/{w.other_class.pk}/", no_data
    ),
    "reports: gradesheet of the school": Route(
        "get", lambda w: "/reports/gradesheet/school/", no_data
    ),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
reports: gradesheets                                  302  200   200    200 404  404   404 404 404 200  404 404 404 404    404    404
reports: gradesheet of 7А                             302  200   200    200 404  404   404 404 404 200  404 404 404 404    404    404
reports: gradesheet of 7А as XLSX                     302  200   200    200 404  404   404 404 404 200  404 404 404 404    404    404
reports: gradesheet of 7А as PDF                      302  200   200    200 404  404   404 404 404 200  404 404 404 404    404    404
reports: gradesheet of another school's class         302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
reports: gradesheet of the school                     302  200   200    200 404  404   404 404 404 404  404 404 404 404    404    404
"""
