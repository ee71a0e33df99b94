# ruff: noqa: E501  (the table keeps one endpoint a line, as tests/access/endpoints.py)
"""Issue 17: token sign-in, «Мои устройства», who-am-I, the diary API's ranges and the ЭлЖур
layer. With a session: the ЭлЖур layer answers nobody (it reads only its `auth_token`: 403 in
its envelope); a device is revoked only by its owner. The same rules with tokens, across
schools, are tests/api/test_eljur_access.py."""

from typing import Any

from tests.access.endpoints import Route, no_data, object_route, route
from tests.world import World


def _guardian_token(w: World) -> Any:
    from otmetka.accounts.tokens import token_issue

    return token_issue(user=w.user("guardian_7a"), name="Телефон", writable=False)[1]


def _sign_in(w: World) -> dict:
    return {"login": "nobody", "password": "wrong"}


ROUTES: dict[str, Route] = {
    "API: sign in for a token with a wrong password": Route(
        "post", lambda w: "/api/v1/auth/token", _sign_in, json=True
    ),
    "API: sign this device out": route("delete", "/api/v1/auth/token"),
    "API: who am I": route("get", "/api/v1/me"),
    "diary API: the 7А student's periods": Route(
        "get", lambda w: f"/api/v1/diary/{w.pupil_7a.pk}/periods", no_data
    ),
    "diary API: the 7А student's days": Route(
        "get",
        lambda w: f"/api/v1/diary/{w.pupil_7a.pk}/days?start=2026-11-16&end=2026-11-29",
        no_data,
    ),
    "diary API: the 7А student's timetable": Route(
        "get", lambda w: f"/api/v1/diary/{w.pupil_7a.pk}/timetable", no_data
    ),
    "diary API: the other school's student's days": Route(
        "get", lambda w: f"/api/v1/diary/{w.other_pupil.pk}/days", no_data
    ),
    "my devices": route("get", "/accounts/devices/"),
    "my devices: sign out the 7А guardian's phone": object_route(
        "post", "/accounts/devices/{pk}/revoke/", _guardian_token
    ),
    "my devices: let the 7А guardian's phone write": object_route(
        "post", "/accounts/devices/{pk}/write/", _guardian_token, lambda w: {"writable": "1"}
    ),
    "my devices: sign out by GET": object_route(
        "get", "/accounts/devices/{pk}/revoke/", _guardian_token
    ),
    "ЭлЖур: getrules with a session and no token": route("get", "/apiv3/getrules"),
    "ЭлЖур: the /api/ alias with a session and no token": Route(
        "post", lambda w: f"/api/getdiary?student={w.pupil_7a.pk}", no_data
    ),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
API: sign in for a token with a wrong password        400  400   400    400 400  400   400 400 400 400  400 400 400 400    400    400
API: sign this device out                             401  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
API: who am I                                         401  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
diary API: the 7А student's periods                   401  404   404    404 404  404   404 404 404 404  200 404 200 404    404    404
diary API: the 7А student's days                      401  404   404    404 404  404   404 404 404 404  200 404 200 404    404    404
diary API: the 7А student's timetable                 401  404   404    404 404  404   404 404 404 404  200 404 200 404    404    404
diary API: the other school's student's days          401  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
my devices                                            302  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
my devices: sign out the 7А guardian's phone          302  404   404    404 404  404   404 404 404 404  404 404 302 404    404    404
my devices: let the 7А guardian's phone write         302  404   404    404 404  404   404 404 404 404  404 404 302 404    404    404
my devices: sign out by GET                           302  405   405    405 405  405   405 405 405 405  405 405 405 405    405    405
ЭлЖур: getrules with a session and no token           403  403   403    403 403  403   403 403 403 403  403 403 403 403    403    403
ЭлЖур: the /api/ alias with a session and no token    403  403   403    403 403  403   403 403 403 403  403 403 403 403    403    403
"""
