# ruff: noqa: E501 — the table is a grid meant to be read as one, whatever its width
"""Who may edit the school's kinds of work and absence codes (the `journal_tables` resource):
the admin and the deputy; staff who read them get 403, everyone else 404. The region viewer's
current school is School №2 (the first by name), so its rows answer them 403, School №1's 404."""

from tests.access.endpoints import object_route, route
from tests.world import World


def _kind(w: World, *, other_school: bool = False) -> object:
    from otmetka.journal.defaults import journal_defaults_ensure
    from otmetka.journal.models import MarkKind

    school = w.other_school if other_school else w.school
    journal_defaults_ensure(school=school)
    return MarkKind.objects.filter(school=school).order_by("position").first()


def _code(w: World, *, other_school: bool = False) -> object:
    from otmetka.journal.defaults import journal_defaults_ensure
    from otmetka.journal.models import AbsenceCode

    school = w.other_school if other_school else w.school
    journal_defaults_ensure(school=school)
    return AbsenceCode.objects.filter(school=school).order_by("position").first()


def _kind_data(w: World) -> dict:
    return {"name": "Проект", "short": "прк", "weight": "2", "position": "5", "is_active": "on"}


def _code_data(w: World) -> dict:
    return {"code": "ув", "name": "Уважительная", "reason": "valid", "position": "5"}


ROUTES = {
    "kinds of work: add one": route("post", "/setup/markkind/new/", _kind_data),
    "kinds of work: change one": object_route("post", "/setup/markkind/{pk}/", _kind, _kind_data),
    "kinds of work: change one of the other school": object_route(
        "post", "/setup/markkind/{pk}/", lambda w: _kind(w, other_school=True), _kind_data
    ),
    "absence codes: add one": route("post", "/setup/absencecode/new/", _code_data),
    "absence codes: change one": object_route(
        "post", "/setup/absencecode/{pk}/", _code, _code_data
    ),
    "absence codes: change one of the other school": object_route(
        "post", "/setup/absencecode/{pk}/", lambda w: _code(w, other_school=True), _code_data
    ),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
kinds of work: add one                                302  302   302    403 403  404   404 403 403 403  404 404 404 403    403    404
kinds of work: change one                             302  302   302    403 403  404   404 403 403 403  404 404 404 404    404    404
kinds of work: change one of the other school         302  404   404    404 404  404   404 404 404 404  404 404 404 403    403    404
absence codes: add one                                302  302   302    403 403  404   404 403 403 403  404 404 404 403    403    404
absence codes: change one                             302  302   302    403 403  404   404 403 403 403  404 404 404 404    404    404
absence codes: change one of the other school         302  404   404    404 404  404   404 404 404 404  404 404 404 403    403    404
"""
