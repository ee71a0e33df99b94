"""The main menu: the sections of Otmetka the user may open in the current school."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from otmetka.access.models import Role
from otmetka.access.rules import CHANGE, VIEW, can, school_roles

# (url name, label, test(user, school, roles) -> bool); rights come from `access` only.
MENU = (
    (
        "journal:list",
        _("Journals"),
        lambda u, s, roles: Role.TEACHER in roles or can(u, s, "journal", VIEW),
    ),
    (
        "curriculum:timetable",
        _("Timetable"),
        lambda u, s, roles: can(u, s, "timetable", VIEW) and Role.REGION_VIEWER not in roles,
    ),
    ("curriculum:load", _("Teaching load"), lambda u, s, roles: can(u, s, "course", CHANGE)),
    (
        "journal:substitutions",
        _("Substitutions"),
        lambda u, s, roles: can(u, s, "journal", CHANGE),
    ),
    (
        "setup:home",
        _("School setup"),
        lambda u, s, roles: bool(roles & {Role.ADMIN, Role.DEPUTY, Role.SECRETARY, Role.DIRECTOR}),
    ),
    (
        "reports:index",
        _("Gradesheets"),
        lambda u, s, roles: bool(roles & {Role.ADMIN, Role.DEPUTY, Role.DIRECTOR}),
    ),
)


def main_menu(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `menu` — [(url, label, is_current)] for the header."""
    user, school = request.user, getattr(request, "school", None)
    if not user.is_authenticated or school is None:
        return {"menu": []}
    roles = school_roles(user, school)
    items = []
    for name, label, allowed in MENU:
        if allowed(user, school, roles):
            url = reverse(name)
            items.append((url, label, request.path.startswith(url)))
    return {"menu": items}
