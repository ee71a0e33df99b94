"""Reads of a student's personal data: consents in force (the portal asks
`has_publication_consent` before publishing a child's name or photo), the class's list of missing
or stale data, health records, and the log of reads."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from otmetka.access.privacy import PdRights
from otmetka.audit.models import Read
from otmetka.core.dates import active_on
from otmetka.people.models import Consent, ConsentKind, Guardian, HealthRecord, Student
from otmetka.school.models import School, SchoolClass


def _in_force(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}given_on__lte": day}) & (
        Q(**{f"{prefix}withdrawn_on__isnull": True}) | Q(**{f"{prefix}withdrawn_on__gt": day})
    )


def has_publication_consent(student: Student, on: datetime.date | None = None) -> bool:
    """Whether the student's name or photo may be published on the school's website on `on`
    (today by default): a consent «разрешённые для распространения» given and not withdrawn
    (R19). One query."""
    day = on or timezone.localdate()
    return Consent.objects.filter(
        _in_force(day), student_id=student.pk, kind=ConsentKind.PUBLICATION
    ).exists()


def publication_consents(student_ids: list[int], on: datetime.date | None = None) -> set[int]:
    """Which of the students have a publication consent in force on `on` (today by default):
    `has_publication_consent` for many, in one query."""
    day = on or timezone.localdate()
    rows = Consent.objects.filter(
        _in_force(day), student_id__in=student_ids, kind=ConsentKind.PUBLICATION
    )
    return set(rows.values_list("student_id", flat=True))


def health_current(records: list[HealthRecord], day: datetime.date) -> HealthRecord | None:
    """The record in force on `day` among a student's records (newest start first)."""
    for record in records:
        if record.start <= day and (record.end is None or record.end >= day):
            return record
    return None


@dataclass
class PdRow:
    """One student of a class's personal data list."""

    student: Student
    missing: list[str] = field(default_factory=list)  # what is missing or stale
    consents: set[str] = field(default_factory=set)  # kinds in force
    health: HealthRecord | None = None


def class_pd_rows(school_class: SchoolClass, rights: PdRights) -> list[PdRow]:
    """The class's current students with what the user may see of them: missing or stale data
    and consents in force (data readers), the current health record (health readers). Three
    queries whatever the class's size."""
    from django.utils.translation import gettext as _

    day = timezone.localdate()
    prefetch: list[Any] = []
    if rights.data_read:
        prefetch.append(Prefetch("consents", Consent.objects.filter(_in_force(day))))
        prefetch.append(
            Prefetch("guardians", Guardian.objects.filter(Q(end__isnull=True) | Q(end__gte=day)))
        )
    if rights.health_read:
        prefetch.append(Prefetch("health", HealthRecord.objects.order_by("-start", "-id")))
    students = (
        Student.objects.filter(
            active_on(day, prefix="enrollments__"), enrollments__school_class=school_class
        )
        .distinct()
        .prefetch_related(*prefetch)
        .order_by("last_name", "first_name", "middle_name", "pk")
    )
    rows = []
    year_start = school_class.year.start
    for s in students:
        row = PdRow(student=s)
        if rights.data_read:
            if s.birth_date is None:
                row.missing.append(_("no date of birth"))
            if not s.document:
                row.missing.append(_("no document"))
            if not any(g.phone for g in s.guardians.all()):
                row.missing.append(_("no guardian contact"))
            if s.data_confirmed_on is None or s.data_confirmed_on < year_start:
                row.missing.append(_("not confirmed this year"))
            row.consents = {c.kind for c in s.consents.all()}
        if rights.health_read:
            row.health = health_current(list(s.health.all()), day)
        rows.append(row)
    return rows


def student_consents(student: Student) -> list[Consent]:
    return list(Consent.objects.filter(student=student).order_by("-given_on", "-id"))


def student_health(student: Student) -> list[HealthRecord]:
    return list(
        HealthRecord.objects.filter(student=student)
        .select_related("created_by")
        .order_by("-start", "-id")
    )


def student_guardians(student: Student) -> list[Guardian]:
    return list(Guardian.objects.filter(student=student).select_related("user"))


def school_class_of(school: School | None, pk: int) -> SchoolClass | None:
    """The school's class by id (with its year), None for another school's or no such id."""
    try:
        return SchoolClass.objects.select_related("year").get(school=school, pk=pk)
    except (SchoolClass.DoesNotExist, ValueError, OverflowError):
        return None


def consent_of(school: School | None, pk: int) -> Consent | None:
    """A consent of the school by id (None when missing)."""
    try:
        return Consent.objects.select_related("student").get(school=school, pk=pk)
    except (Consent.DoesNotExist, ValueError, TypeError, OverflowError):
        return None


def reads(
    *,
    school: School,
    reader: str = "",
    student: str = "",
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> QuerySet[Read]:
    """The school's log of reads of personal data, newest first, filtered by the reader's and
    the student's name (a part, any case) and by dates."""
    qs = Read.objects.filter(school=school).select_related("reader")
    if reader:
        qs = qs.filter(
            Q(reader__last_name__icontains=reader)
            | Q(reader__username__icontains=reader)
            | Q(reader__first_name__icontains=reader)
        )
    if student:
        qs = qs.filter(student_name__icontains=student)
    if first:
        qs = qs.filter(at__date__gte=first)
    if last:
        qs = qs.filter(at__date__lte=last)
    return qs.order_by("-at", "-id")
