# ruff: noqa: E501
"""Routes of the school's settings, local acts, the status page, the regional calendar (its
operator is not a persona of the world: tests/setup/test_school_settings.py tests them) and the
site's icon."""

import datetime

from tests.access.endpoints import object_route, route
from tests.world import World

PDF = b"%PDF-1.4\n%%EOF\n"


def _act(w: World) -> object:
    from django.core.files.base import ContentFile

    from otmetka.school.models import LocalAct

    act = LocalAct.objects.filter(school=w.school).first()
    if act is None:
        act = LocalAct(
            school=w.school,
            kind="journal",
            title="Положение о ведении ЭЖ",
            approved_on=datetime.date(2026, 8, 30),
            uploaded_by=w.user("admin"),
            name="act.pdf",
            size=len(PDF),
        )
        act.file.save("act.pdf", ContentFile(PDF), save=True)
    return act


def _region(w: World) -> object:
    return w.school.district.region


def _region_override(w: World) -> object:
    from otmetka.school.models import CalendarOverride

    override, _ = CalendarOverride.objects.get_or_create(
        region=w.school.district.region,
        date=datetime.date(2027, 3, 16),
        kind="day_off",
        reason="Указ",
    )
    return override


ROUTES = {
    "settings: school settings page": route("get", "/setup/settings/"),
    "settings: save school settings": route(
        "post",
        "/setup/settings/",
        lambda w: {
            "name": w.school.name,
            "short_name": w.school.short_name,
            "time_zone": "Europe/Simferopol",
            "six_day_from_grade": 0,
            "period_close_after_days": 10,
        },
    ),
    "settings: status page": route("get", "/setup/status/"),
    "settings: local acts": route("get", "/setup/acts/"),
    "settings: new local act page": route("get", "/setup/acts/new/"),
    "settings: edit local act page": object_route("get", "/setup/acts/{pk}/", _act),
    "settings: local act file": object_route("get", "/setup/acts/{pk}/file/", _act),
    "settings: regional calendars": route("get", "/setup/region/"),
    "settings: regional calendar": object_route("get", "/setup/region/{pk}/calendar/", _region),
    "settings: load shipped regional days": object_route(
        "post", "/setup/region/{pk}/calendar/load/", _region
    ),
    "settings: remove regional change": object_route(
        "post",
        "/setup/region/{w.school.district.region.pk}/calendar/{pk}/delete/",
        _region_override,
    ),
    "favicon": route("get", "/favicon.ico"),
}

STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
settings: school settings page                        302  200   200    200 200  200   200 200 200 200  404 404 404 200    200    404
settings: save school settings                        302  302   302    403 403  403   403 403 403 403  404 404 404 403    403    404
settings: status page                                 302  200   404    200 404  404   404 404 404 404  404 404 404 404    404    404
settings: local acts                                  302  200   200    200 200  404   404 200 200 200  404 404 404 200    200    404
settings: new local act page                          302  200   200    403 403  404   404 403 403 403  404 404 404 403    403    404
settings: edit local act page                         302  200   200    403 403  404   404 403 403 403  404 404 404 404    404    404
settings: local act file                              302  200   200    200 200  404   404 200 200 200  404 404 404 404    404    404
settings: regional calendars                          302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
settings: regional calendar                           302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
settings: load shipped regional days                  302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
settings: remove regional change                      302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
favicon                                               200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
"""
