"""The main menu: the sections of Otmetka the user may open in the current school."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from otmetka.access.archive import ARCHIVE_READERS, reads_any_record
from otmetka.access.diary import reads_a_diary
from otmetka.access.models import Role
from otmetka.access.portal import uses_portal_by_role
from otmetka.access.privacy import pd_section
from otmetka.access.reports import DIRECTORS, MONITORS, SCHOOL_READERS
from otmetka.access.rules import (
    CHANGE,
    VIEW,
    can,
    has_journals,
    leads_class_by_role,
    school_roles,
)

# The resources of the setup pages (`setup.registry.KINDS`; a test keeps the two equal): the setup
# home opens for whoever may read one of them.
SETUP_RESOURCES = (
    "year",
    "period",
    "calendar",
    "class",
    "subject",
    "timetable",
    "journal_tables",
    "staff",
    "student",
    "guardian",
)


def _reads_setup(user: Any, school: Any) -> bool:
    """Whether the setup home opens: the user reads some kind of the school's setup."""
    return any(can(user, school, r, VIEW) for r in SETUP_RESOURCES)


# (url name, label, test(user, school, roles) -> bool); rights come from `access` only, and each
# test is the rule its page applies, so that a link shows exactly when its page opens
# (tests/access/test_menu.py checks every persona). The menu is shown only in a school.
MENU: tuple[tuple[str, Any, Callable[[Any, Any, set[str]], bool]], ...] = (
    ("journal:list", _("Journals"), lambda u, s, roles: has_journals(u, s)),
    ("timetable:index", _("Timetable"), lambda u, s, roles: can(u, s, "timetable", VIEW)),
    ("curriculum:load", _("Teaching load"), lambda u, s, roles: can(u, s, "course", VIEW)),
    (
        "journal:substitutions",
        _("Substitutions"),
        lambda u, s, roles: can(u, s, "journal", CHANGE),
    ),
    ("setup:home", _("School setup"), lambda u, s, roles: _reads_setup(u, s)),
    (
        "reports:index",
        _("Gradesheets"),
        # The school's sheets, or the homeroom teacher's own class (read with the roles).
        lambda u, s, roles: bool(roles & SCHOOL_READERS) or leads_class_by_role(u, s),
    ),
    ("reports:monitoring", _("Monitoring"), lambda u, s, roles: bool(roles & MONITORS)),
    ("reports:director", _("School at a glance"), lambda u, s, roles: bool(roles & DIRECTORS)),
    # The region/district dashboard (its page opens for any viewer of some school: one whose
    # viewing covers the current school has one).
    (
        "compliance:region",
        _("Journal timeliness by school"),
        lambda u, s, roles: Role.REGION_VIEWER in roles,
    ),
    ("archive:index", _("Year archives"), lambda u, s, roles: bool(roles & ARCHIVE_READERS)),
    (
        "archive:records",
        _("Personal records — results"),
        lambda u, s, roles: reads_any_record(u, s),
    ),
    ("people:index", _("Personal data"), lambda u, s, roles: pd_section(u, s)),
    # The roles of the website's pages; the staff the admin allows to submit documents open
    # them from the link of their notifications (no query on every page for every teacher).
    ("portal:queue", _("School website"), lambda u, s, roles: uses_portal_by_role(u, s)),
    # Students and parents (no granted role here; a fact of the session's auth context). Staff
    # who are parents too reach the diary from the home page's block.
    ("diary:week", _("Diary"), lambda u, s, roles: not roles and reads_a_diary(u)),
)


def main_menu(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `menu` — [(url, label, is_current)] for the header."""
    user, school = request.user, getattr(request, "school", None)
    if not user.is_authenticated or school is None:
        return {"menu": []}
    roles = school_roles(user, school)
    links = [
        (reverse(name), label) for name, label, allowed in MENU if allowed(user, school, roles)
    ]
    # The current section is the longest link the path starts with: /reports/director/ is «Школа
    # в целом», not «Ведомости» (/reports/) as well.
    current = max((url for url, _label in links if request.path.startswith(url)), key=len,
                  default=None)  # fmt: skip
    return {"menu": [(url, label, url == current) for url, label in links]}
