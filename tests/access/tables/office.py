# ruff: noqa: E501 — the table is a grid meant to be read as one, whatever its width
"""The school office's pages (issue 15): login slips in bulk — the administrator and the
secretary (who issue logins to students and guardians); staff who read students get 403 — and
the import of students with guardians (whoever changes students and guardians: the admin, the
deputy, the secretary). Everyone else 404, the other school's teacher and the region viewer too."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access.endpoints import route
from tests.world import World


def _slips(w: World) -> dict:
    return {"target": f"class:{w.class_7a.pk}", "students": "on", "guardians": "on"}


def _import(w: World) -> dict:
    table = "ФИО;Дата рождения;Класс\nКозлов Илья;01.01.2014;7Б\n".encode()
    return {"file": SimpleUploadedFile("people.csv", table), "start": "01.11.2026"}


ROUTES = {
    "login slips page": route("get", "/setup/credentials/"),
    "login slips for a class": route("post", "/setup/credentials/", _slips),
    "people import page": route("get", "/setup/student/import/"),
    "people import dry run": route("post", "/setup/student/import/", _import),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
login slips page                                      302  200   403    403 200  403   404 404 404 404  404 404 404 404    404    404
login slips for a class                               302  200   403    403 200  403   404 404 404 404  404 404 404 404    404    404
people import page                                    302  200   200    403 200  403   404 404 404 404  404 404 404 404    404    404
people import dry run                                 302  200   200    403 200  403   404 404 404 404  404 404 404 404    404    404
"""
