# ruff: noqa: E501 — the status grid is read as a table, whatever its width.
"""Routes of the deadline engine (`otmetka.access.compliance`): rules, teacher absences, days
without PC/Internet, a teacher's gaps and the region/district dashboard."""

import datetime

from tests.access.endpoints import Route, no_data
from tests.world import World


def _absence(w: World) -> int:
    from otmetka.compliance.models import TeacherAbsence

    row, _ = TeacherAbsence.objects.get_or_create(
        school=w.school, teacher=w.user("teacher_7a_math"), start=datetime.date(2026, 11, 9),
        end=datetime.date(2026, 11, 13), reason="illness", defaults={"created_by": w.user("deputy")},
    )  # fmt: skip
    return row.pk


def _declaration(w: World) -> int:
    from otmetka.compliance.models import NoPcDay

    row, _ = NoPcDay.objects.get_or_create(
        school=w.school, teacher=w.user("teacher_7a_math"), day=datetime.date(2026, 11, 16),
        defaults={"comment": "Нет интернета"},
    )  # fmt: skip
    return row.pk


def _rule(w: World) -> dict:
    return {"key": "topic-16", "entity": "topic", "anchor": "lesson_end", "offset_kind": "clock",
            "offset_value": "1020", "course_kinds": ["lesson"], "is_active": "on",
            "valid_from": "2026-11-20"}  # fmt: skip


def _illness(w: World) -> dict:
    return {"teacher": w.user("teacher_7a_math").pk, "start": "2026-11-16", "end": "2026-11-17",
            "reason": "illness", "note": "больничный"}  # fmt: skip


ROUTES = {
    "deadlines: rules": Route("get", lambda w: "/compliance/rules/", no_data),
    "deadlines: change a rule": Route("post", lambda w: "/compliance/rules/", _rule),
    "deadlines: teacher absences": Route("get", lambda w: "/compliance/absences/", no_data),
    "deadlines: record an illness": Route("post", lambda w: "/compliance/absences/", _illness),
    "deadlines: cancel an absence": Route(
        "post", lambda w: f"/compliance/absences/{_absence(w)}/cancel/", no_data
    ),
    "deadlines: days without PC": Route("get", lambda w: "/compliance/no-pc/", no_data),
    "deadlines: declare a day without PC": Route(
        "post",
        lambda w: "/compliance/no-pc/",
        lambda w: {"day": "2026-11-18", "comment": "Нет сети"},
    ),
    "deadlines: revoke a declaration": Route(
        "post", lambda w: f"/compliance/no-pc/{_declaration(w)}/revoke/", no_data
    ),
    "deadlines: my gaps": Route("get", lambda w: "/compliance/gaps/", no_data),
    "deadlines: region dashboard": Route(
        "get", lambda w: "/compliance/region/?sort=topic&desc=1", no_data
    ),
    "deadlines: a school's trend": Route(
        "get", lambda w: f"/compliance/region/{w.school.pk}/", no_data
    ),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
deadlines: rules                                      302  404   200    200 404  404   404 404 404 404  404 404 404 404    404    404
deadlines: change a rule                              302  404   302    403 404  404   404 404 404 404  404 404 404 404    404    404
deadlines: teacher absences                           302  404   200    200 404  404   404 404 404 404  404 404 404 404    404    404
deadlines: record an illness                          302  404   302    403 404  404   404 404 404 404  404 404 404 404    404    404
deadlines: cancel an absence                          302  404   302    403 404  404   404 404 404 404  404 404 404 404    404    404
deadlines: days without PC                            302  404   200    200 404  404   404 200 200 200  404 404 404 200    404    404
deadlines: declare a day without PC                   302  404   302    302 404  404   404 302 302 302  404 404 404 302    404    404
deadlines: revoke a declaration                       302  404   302    403 404  404   404 404 404 404  404 404 404 404    404    404
deadlines: my gaps                                    302  404   200    200 404  404   404 200 200 200  404 404 404 200    404    404
deadlines: region dashboard                           302  404   404    404 404  404   404 404 404 404  404 404 404 404    200    404
deadlines: a school's trend                           302  404   404    404 404  404   404 404 404 404  404 404 404 404    200    404
"""
