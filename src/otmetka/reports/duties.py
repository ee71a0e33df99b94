"""The order's duties (seed clauses 2–12) with the people who hold each role in the school, for
the director's page (seed 12: «Контроль исполнения приказа оставляю за собой»)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from otmetka.access.models import Role, RoleMembership
from otmetka.curriculum.models import Course, CourseKind
from otmetka.school.models import School, SchoolClass


@dataclass(frozen=True)
class Duty:
    """A clause of the order: who (a role of the school) does what."""

    clause: str
    who: Promise
    what: Promise
    holders: str  # a Role, or "homeroom" / "extracurricular" / "additional" (derived from data)


DUTIES = (
    Duty(
        "2",
        _("ЭлЖур administrator"),
        _(
            "Implements the system, keeps the reference data and "
            "parameters, gives access rights, logins and passwords to every category of users."
        ),
        Role.ADMIN,
    ),
    Duty(
        "3",
        _("Secretary"),
        _(
            "Passes the data on arriving and leaving students and on hired "
            "and leaving staff to the administrator in time."
        ),
        Role.SECRETARY,
    ),
    Duty(
        "4",
        _("Homeroom teachers"),
        _(
            "Keep the students' data current, collect the "
            "personal-data consents, monitor success and absences, teach parents to use the "
            "journal, exchange information with students and parents."
        ),
        "homeroom",
    ),
    Duty(
        "5",
        _("Subject and primary teachers"),
        _(
            "Enter the КТП for the year, marks, topics in "
            "Russian; absences and homework on the day of the lesson by 16:00 (the last lesson "
            "within 1 hour); written-work marks within 1 week; substitutions marked «Замещение»."
        ),
        Role.TEACHER,
    ),
    Duty(
        "6",
        _("Extracurricular teachers"),
        _(
            "Enter the КТП and topics in Russian; absences "
            "within 4 hours after the students' last lesson."
        ),
        "extracurricular",
    ),
    Duty(
        "7",
        _("Additional-education teachers"),
        _("Enter the КТП and topics; absences within 24 hours after the students' last lesson."),
        "additional",
    ),
    Duty(
        "8",
        _("Website administrator"),
        _(
            "Publishes the normative documents, news of the "
            "journal and links to help materials on the school's website."
        ),
        Role.WEB_EDITOR,
    ),
    Duty(
        "9",
        _("Deputy director"),
        _(
            "Provides the study plan, timetable and load; controls the "
            "staff's journal keeping (the monitoring); forms the summary gradesheet."
        ),
        Role.DEPUTY,
    ),
    Duty(
        "10",
        _("School nurse"),
        _("Provides the students' health data (health group and others)."),
        Role.NURSE,
    ),
    Duty(
        "11",
        _("Director"),
        _(
            "Approves the school's documents on the journal; controls the "
            "journal keeping by all staff."
        ),
        Role.DIRECTOR,
    ),
    Duty("12", _("Director"), _("Controls the execution of the order."), Role.DIRECTOR),
)


def _name(last: str, first: str, middle: str) -> str:
    return " ".join(p for p in (last, first, middle) if p)


def _holders(school: School) -> dict[str, list[str]]:
    """Role (or derived role) → the names of the people holding it in the school (three
    queries)."""
    found: dict[str, set[str]] = defaultdict(set)
    people = ("user__last_name", "user__first_name", "user__middle_name")
    for role, *name in RoleMembership.objects.filter(school=school).values_list("role", *people):
        found[role].add(_name(*name))
    latest = SchoolClass.objects.filter(school=school).order_by("-year__start").values("year_id")
    homeroom = (
        "homeroom_teacher__last_name",
        "homeroom_teacher__first_name",
        "homeroom_teacher__middle_name",
    )
    for name in SchoolClass.objects.filter(
        school=school, year_id__in=latest[:1], homeroom_teacher__isnull=False
    ).values_list(*homeroom):
        found["homeroom"].add(_name(*name))
    teaching = ("kind", "teachers__last_name", "teachers__first_name", "teachers__middle_name")
    for kind, *name in (
        Course.objects.filter(school=school, teachers__isnull=False)
        .exclude(kind=CourseKind.LESSON)
        .values_list(*teaching)
    ):
        found[kind].add(_name(*name))
    return {key: sorted(names) for key, names in found.items()}


def duties(*, school: School) -> list[dict[str, Any]]:
    """The order's duties, each with the names of its holders in the school (empty: nobody
    holds it — the director sees the gap)."""
    holders = _holders(school)
    return [{"duty": d, "people": holders.get(str(d.holders), [])} for d in DUTIES]
