# ruff: noqa: E501
"""Routes of the year-end archive, closing the year and the individual records
(`otmetka.access.archive`): families and teachers get none of them."""

import tempfile
from pathlib import Path

from tests.access.endpoints import Route, no_data
from tests.world import World


def _archive(w: World) -> str:
    """An archive of school №1 with its .zip on disk."""
    from otmetka.archive.models import Archive

    folder = Path(tempfile.mkdtemp()) / "2026-2027"
    folder.with_suffix(".zip").write_bytes(b"PK\x05\x06" + bytes(18))
    archive = Archive.objects.create(
        school=w.school, year=w.year, path=str(folder), manifest_sha256="0" * 64
    )
    return f"/archive/{archive.pk}/zip/"


def _other_archive(w: World) -> str:
    from otmetka.archive.models import Archive

    year = w.other_class.year
    archive = Archive.objects.create(
        school=w.other_school, year=year, path="/nonexistent", manifest_sha256="0" * 64
    )
    return f"/archive/{archive.pk}/zip/"


ROUTES = {
    "archive: list": Route("get", lambda w: "/archive/", no_data),
    "archive: make": Route("post", lambda w: "/archive/make/", lambda w: {"year": w.year.pk}),
    "archive: make, another school's year": Route(
        "post", lambda w: "/archive/make/", lambda w: {"year": w.other_class.year_id}
    ),
    "archive: make, no year": Route("post", lambda w: "/archive/make/", lambda w: {"year": "x"}),
    "archive: download": Route("get", _archive, no_data),
    "archive: download another school's": Route("get", _other_archive, no_data),
    "archive: close year, choose": Route("get", lambda w: "/archive/close-year/", no_data),
    "archive: close year, the plan": Route(
        "get", lambda w: f"/archive/close-year/?year={w.year.pk}", no_data
    ),
    "archive: close year": Route(
        "post", lambda w: "/archive/close-year/", lambda w: {"year": w.year.pk}
    ),
    "archive: records": Route("get", lambda w: "/archive/records/?q=Ив", no_data),
    "archive: record of the 7А student": Route(
        "get", lambda w: f"/archive/records/{w.pupil_7a.pk}/", no_data
    ),
    "archive: record of the 7А student, PDF": Route(
        "get", lambda w: f"/archive/records/{w.pupil_7a.pk}/pdf/", no_data
    ),
    "archive: record of the 7А student, JSON": Route(
        "get", lambda w: f"/archive/records/{w.pupil_7a.pk}/json/", no_data
    ),
    "archive: record of the 7Б student": Route(
        "get", lambda w: f"/archive/records/{w.pupil_7b.pk}/", no_data
    ),
    "archive: record of another school's student": Route(
        "get", lambda w: f"/archive/records/{w.other_pupil.pk}/", no_data
    ),
    "archive: record, a huge id": Route("get", lambda w: f"/archive/records/{2**70}/", no_data),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
archive: list                                         302  404   200    200 404  404   404 404 404 404  404 404 404 404    404    404
archive: make                                         302  404   403    302 404  404   404 404 404 404  404 404 404 404    404    404
archive: make, another school's year                  302  404   403    404 404  404   404 404 404 404  404 404 404 404    404    404
archive: make, no year                                302  404   403    404 404  404   404 404 404 404  404 404 404 404    404    404
archive: download                                     302  404   200    200 404  404   404 404 404 404  404 404 404 404    404    404
archive: download another school's                    302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
archive: close year, choose                           302  404   403    200 404  404   404 404 404 404  404 404 404 404    404    404
archive: close year, the plan                         302  404   403    200 404  404   404 404 404 404  404 404 404 404    404    404
archive: close year                                   302  404   403    302 404  404   404 404 404 404  404 404 404 404    404    404
archive: records                                      302  404   200    200 200  404   404 404 404 200  404 404 404 404    404    404
archive: record of the 7А student                     302  404   200    200 200  404   404 404 404 200  404 404 404 404    404    404
archive: record of the 7А student, PDF                302  404   200    200 200  404   404 404 404 200  404 404 404 404    404    404
archive: record of the 7А student, JSON               302  404   200    200 200  404   404 404 404 200  404 404 404 404    404    404
archive: record of the 7Б student                     302  404   200    200 200  404   404 404 404 404  404 404 404 404    404    404
archive: record of another school's student           302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
archive: record, a huge id                            302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
"""
