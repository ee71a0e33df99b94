"""The registry of setup resources: one entry per kind of reference data a school keeps.
The generic views (`school.views.setup_list`, `setup_edit`) read everything from here."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from otmetka.access.rules import CHANGE, can, scoped, sees_people
from otmetka.accounts.models import User
from otmetka.core.forms import SetupForm
from otmetka.curriculum import selectors as curriculum_selectors
from otmetka.curriculum import services as curriculum_services
from otmetka.curriculum.forms import BellForm, SubjectForm
from otmetka.journal import reference as journal_reference
from otmetka.journal import selectors as journal_selectors
from otmetka.journal.forms import AbsenceCodeForm, MarkKindForm
from otmetka.people import forms as people_forms
from otmetka.people import selectors as people_selectors
from otmetka.people import services as people_services
from otmetka.school import forms, selectors, services
from otmetka.school.models import School


@dataclass(frozen=True)
class Column:
    """One column of a list: a header and how to get the cell from a row."""

    label: str | Promise
    value: Callable[[Any], Any]
    personal: bool = False  # names a person: hidden from region viewers (`sees_people`)

    def cell(self, obj: Any) -> Any:
        value = self.value(obj)
        if isinstance(value, datetime.date):
            return value.strftime("%d.%m.%Y")
        return "—" if value in (None, "") else value


def col(label: str | Promise, attr: str, *, personal: bool = False) -> Column:
    """A column showing `attr` (dotted; choices show their label)."""

    def get(obj: Any) -> Any:
        *path, last = attr.split(".")
        for part in path:
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        display = getattr(obj, f"get_{last}_display", None)
        return display() if display else getattr(obj, last, None)

    return Column(label, get, personal)


@dataclass(frozen=True)
class SetupKind:
    """One resource of the setup pages: model rows, form, services, list columns, titles."""

    kind: str
    resource: str
    title: str | Promise
    noun: str | Promise
    rows: Callable[[], QuerySet]
    form: type[SetupForm]
    create: Callable[..., Any]
    update: Callable[..., Any]
    arg: str
    columns: tuple[Column, ...]
    details: Callable[[Any], dict[str, Any]] | None = None
    details_template: str = ""
    # What the rows are for, said on the empty list (the first visit of a new school).
    empty: str | Promise = ""

    def visible(self, user: User, school: School | None) -> QuerySet:
        """Rows of the current school the user may read."""
        return scoped(self.rows(), user, school, self.resource)

    def can_change(self, user: User, school: School | None) -> bool:
        return can(user, school, self.resource, CHANGE)

    def columns_for(self, user: User, school: School | None) -> tuple[Column, ...]:
        """The list's columns this user may see (no names of people for a region viewer)."""
        if sees_people(user, school):
            return self.columns
        return tuple(c for c in self.columns if not c.personal)

    def save(
        self, *, actor: User, school: School | None, obj: Model | None, data: dict[str, Any]
    ) -> Any:
        """Create (obj is None) or update through the resource's service."""
        if obj is None:
            return self.create(actor=actor, school=school, **data)
        return self.update(actor=actor, school=school, **{self.arg: obj}, **data)


def _current_class(student: Any) -> Any:
    return student.current[0].school_class if student.current else None


KINDS: dict[str, SetupKind] = {
    k.kind: k
    for k in (
        SetupKind(
            kind="year",
            resource="year",
            title=_("Academic years"),
            noun=_("academic year"),
            rows=selectors.year_rows,
            form=forms.YearForm,
            create=services.year_create,
            update=services.year_update,
            arg="year",
            columns=(
                col(_("Name"), "name"),
                col(_("First day"), "start"),
                col(_("Last day"), "end"),
            ),
            details=lambda year: selectors.year_details(year=year),
            details_template="setup/year_details.html",
        ),
        SetupKind(
            kind="period",
            resource="period",
            title=_("Periods"),
            noun=_("period"),
            rows=selectors.period_rows,
            form=forms.PeriodForm,
            create=services.period_create,
            update=services.period_update,
            arg="period",
            columns=(
                col(_("Academic year"), "year"),
                col(_("Period"), "name"),
                col(_("First day"), "start"),
                col(_("Last day"), "end"),
            ),
        ),
        SetupKind(
            kind="vacation",
            resource="calendar",
            title=_("Vacations"),
            noun=_("vacation"),
            rows=selectors.vacation_rows,
            form=forms.VacationForm,
            create=services.vacation_create,
            update=services.vacation_update,
            arg="vacation",
            columns=(
                col(_("Name"), "name"),
                col(_("Academic year"), "year"),
                col(_("First day"), "start"),
                col(_("Last day"), "end"),
                col(_("From grade"), "min_grade"),
                col(_("To grade"), "max_grade"),
            ),
        ),
        SetupKind(
            kind="calendar",
            resource="calendar",
            title=_("Calendar changes"),
            noun=_("calendar change"),
            empty=_(
                "The federal production calendar and the region's days are built in. Add a change "
                "only where the school differs: a working Saturday, an extra day off, a quarantine."
            ),
            rows=selectors.override_rows,
            form=forms.OverrideForm,
            create=services.override_create,
            update=services.override_update,
            arg="override",
            columns=(
                col(_("Date"), "date"),
                col(_("Kind"), "kind"),
                col(_("Reason"), "reason"),
                col(_("From grade"), "min_grade"),
                col(_("To grade"), "max_grade"),
            ),
        ),
        SetupKind(
            kind="class",
            resource="class",
            title=_("Classes"),
            noun=_("class"),
            rows=selectors.class_rows,
            form=forms.ClassForm,
            create=services.class_create,
            update=services.class_update,
            arg="school_class",
            columns=(
                Column(_("Class"), str),
                col(_("Academic year"), "year"),
                col(_("Homeroom teacher"), "homeroom_teacher.full_name", personal=True),
                col(_("Period scheme"), "period_scheme"),
                col(_("Days a week"), "week_days"),
                col(_("Students"), "student_count"),
            ),
        ),
        SetupKind(
            kind="subject",
            resource="subject",
            title=_("Subjects"),
            noun=_("subject"),
            rows=curriculum_selectors.subject_rows,
            form=SubjectForm,
            create=curriculum_services.subject_create,
            update=curriculum_services.subject_update,
            arg="subject",
            columns=(
                col(_("Name"), "name"),
                col(_("Short name"), "short_name"),
                col(_("List position"), "position"),
            ),
        ),
        SetupKind(
            kind="bell",
            resource="timetable",
            title=_("Bells"),
            noun=_("bell"),
            rows=curriculum_selectors.bell_rows,
            form=BellForm,
            create=curriculum_services.bell_create,
            update=curriculum_services.bell_update,
            arg="bell",
            columns=(
                col(_("Lesson number"), "number"),
                Column(_("Starts"), lambda b: b.start.strftime("%H:%M")),
                Column(_("Ends"), lambda b: b.end.strftime("%H:%M")),
                col(_("Bell schedule"), "schedule"),
            ),
        ),
        SetupKind(
            kind="markkind",
            resource="journal_tables",
            title=_("Kinds of work"),
            noun=_("kind of work"),
            rows=journal_selectors.mark_kind_rows,
            form=MarkKindForm,
            create=journal_reference.mark_kind_create,
            update=journal_reference.mark_kind_update,
            arg="mark_kind",
            columns=(
                col(_("Name"), "name"),
                col(_("Abbreviation"), "short"),
                col(_("Weight"), "weight"),
                Column(_("Written work"), lambda k: _("yes") if k.is_written else _("no")),
                Column(_("In use"), lambda k: _("yes") if k.is_active else _("no")),
            ),
        ),
        SetupKind(
            kind="absencecode",
            resource="journal_tables",
            title=_("Absence codes"),
            noun=_("absence code"),
            rows=journal_selectors.absence_code_rows,
            form=AbsenceCodeForm,
            create=journal_reference.absence_code_create,
            update=journal_reference.absence_code_update,
            arg="absence_code",
            columns=(
                col(_("Code"), "code"),
                col(_("Meaning"), "name"),
                col(_("Kind of reason"), "reason"),
            ),
        ),
        SetupKind(
            kind="staff",
            resource="staff",
            title=_("Staff"),
            noun=_("staff member"),
            rows=people_selectors.staff_rows,
            form=people_forms.StaffForm,
            create=people_services.staff_create,
            update=people_services.staff_update,
            arg="staff",
            columns=(
                col(_("Full name"), "user.full_name"),
                col(_("Position"), "position"),
                col(_("Login"), "user.username"),
                col(_("Hired on"), "hired_on"),
                col(_("Left on"), "left_on"),
            ),
            details_template="setup/people/staff_details.html",
        ),
        SetupKind(
            kind="student",
            resource="student",
            title=_("Students"),
            noun=_("student"),
            rows=people_selectors.student_rows,
            form=people_forms.StudentForm,
            create=people_services.student_create,
            update=people_services.student_update,
            arg="student",
            columns=(
                col(_("Full name"), "full_name"),
                Column(_("Class"), _current_class),
                col(_("Date of birth"), "birth_date"),
                col(_("Login"), "user.username"),
                col(_("Guardians"), "guardian_count"),
            ),
            details=lambda student: people_selectors.student_details(student=student),
            details_template="setup/people/student_details.html",
        ),
        SetupKind(
            kind="guardian",
            resource="guardian",
            title=_("Guardians"),
            noun=_("guardian"),
            rows=people_selectors.guardian_rows,
            form=people_forms.GuardianForm,
            create=people_services.guardian_link,
            update=people_services.guardian_update,
            arg="guardian",
            columns=(
                col(_("Guardian"), "user.full_name"),
                col(_("Relation"), "relation"),
                col(_("Student"), "student.full_name"),
                col(_("Phone"), "phone"),
                col(_("Login"), "user.username"),
            ),
            details_template="setup/people/guardian_details.html",
        ),
    )
}


def setup_kind(kind: str) -> SetupKind:
    """The registry entry for a URL's kind; unknown kinds are 404."""
    try:
        return KINDS[kind]
    except KeyError:
        raise Http404 from None


def setup_index(*, user: User, school: School | None) -> list[dict[str, Any]]:
    """The kinds the user may read in the school, with row counts and the right to add."""
    return [
        {
            "spec": spec,
            "count": spec.visible(user, school).count(),
            "can_change": spec.can_change(user, school),
        }
        for spec in KINDS.values()
        if can(user, school, spec.resource)
    ]


# The setup's own pages beside the lists: (url name, title, resource the page requires).
PAGES = (
    ("setup:settings", _("School settings"), "school"),
    ("setup:local_acts", _("Local acts"), "localact"),
    ("setup:status", _("System status"), "system"),
)


def setup_pages(*, user: User, school: School | None) -> list[tuple[str, str | Promise]]:
    """(url, title) of the setup's own pages the user may open."""
    return [
        (reverse(name), title) for name, title, resource in PAGES if can(user, school, resource)
    ]
