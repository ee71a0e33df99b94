# ruff: noqa: E501 — the status grid is read as a table, whatever its width.
"""Personal data routes (/people/…): consents, data freshness, health groups, the read log.
The 7Б teacher also teaches PE in 7А here (the PE teacher: sees the PE group of 7А only); a
consent of the 7А pupil with its scan; a pupil and a class of School №2."""

import datetime
from typing import Any

from tests.access.endpoints import Route, no_data
from tests.people.helpers import pe_course
from tests.world import World


def consent(w: World) -> Any:
    from otmetka.people.models import Consent
    from tests.messaging.helpers import pdf

    pe_course(w)
    found = Consent.objects.filter(student=w.pupil_7a).first()
    if found is None:
        found = Consent(
            school=w.school, student=w.pupil_7a, kind="processing", signed_by="Иванова И. С.",
            given_on=datetime.date(2026, 9, 1), created_by=w.user("homeroom_7a"),
            name="согласие.pdf", size=10,
        )  # fmt: skip
        found.file.save("consent-table.pdf", pdf(), save=False)
        found.save()
    return found


def _p(path: str) -> Any:
    """A URL built after the PE course exists ({w} names the world)."""

    def url(w: World) -> str:
        pe_course(w)
        return path.format(w=w)

    return url


def _consent_form(w: World) -> dict:
    return {"kind": "publication", "signed_by": "Иванова И. С.", "given_on": "01.09.2026"}


def _health_form(w: World) -> dict:
    return {
        "health_group": "2",
        "pe_group": "preparatory",
        "start": "01.09.2026",
        "basis": "Справка № 5",
    }


ROUTES: dict[str, Route] = {
    "personal data: index": Route("get", _p("/people/"), no_data),
    "personal data: class 7А": Route("get", _p("/people/class/{w.class_7a.pk}/"), no_data),
    "personal data: class 7Б": Route("get", _p("/people/class/{w.class_7b.pk}/"), no_data),
    "personal data: a class of the other school": Route(
        "get", _p("/people/class/{w.other_class.pk}/"), no_data
    ),
    "personal data: the 7А pupil's card": Route(
        "get", _p("/people/student/{w.pupil_7a.pk}/"), no_data
    ),
    "personal data: a pupil of the other school": Route(
        "get", _p("/people/student/{w.other_pupil.pk}/"), no_data
    ),
    "personal data: register a consent of the 7А pupil": Route(
        "post", _p("/people/student/{w.pupil_7a.pk}/consent/"), _consent_form
    ),
    "personal data: confirm the 7А pupil's data": Route(
        "post",
        _p("/people/student/{w.pupil_7a.pk}/confirm/"),
        lambda w: {"document": "I-АП 123456"},
    ),
    "personal data: record the 7А pupil's health group": Route(
        "post", _p("/people/student/{w.pupil_7a.pk}/health/"), _health_form
    ),
    "personal data: record a health group in the other school": Route(
        "post", _p("/people/student/{w.other_pupil.pk}/health/"), _health_form
    ),
    "personal data: withdraw a consent": Route(
        "post",
        lambda w: f"/people/consent/{consent(w).pk}/withdraw/",
        lambda w: {"withdrawn_on": "01.10.2026"},
    ),
    "personal data: a consent's scan": Route(
        "get", lambda w: f"/people/consent/{consent(w).pk}/file/", no_data
    ),
    "personal data: the log of reads": Route("get", _p("/people/reads/"), no_data),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
personal data: index                                  302  200   404    200 200  200   404 404 200 200  404 404 404 404    404    404
personal data: class 7А                               302  200   404    200 200  200   404 404 200 200  404 404 404 404    404    404
personal data: class 7Б                               302  200   404    200 200  200   404 404 404 404  404 404 404 404    404    404
personal data: a class of the other school            302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
personal data: the 7А pupil's card                    302  200   404    200 200  200   404 404 200 200  404 404 404 404    404    404
personal data: a pupil of the other school            302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
personal data: register a consent of the 7А pupil     302  302   404    403 302  403   404 404 403 302  404 404 404 404    404    404
personal data: confirm the 7А pupil's data            302  302   404    403 302  403   404 404 403 302  404 404 404 404    404    404
personal data: record the 7А pupil's health group     302  403   404    403 403  302   404 404 403 403  404 404 404 404    404    404
personal data: record a health group in the other school 302 404 404   404 404  404   404 404 404 404  404 404 404 404    404    404
personal data: withdraw a consent                     302  302   404    403 302  404   404 404 404 302  404 404 404 404    404    404
personal data: a consent's scan                       302  200   404    200 200  404   404 404 404 200  404 404 404 404    404    404
personal data: the log of reads                       302  404   404    200 404  404   404 404 404 404  404 404 404 404    404    404
"""
