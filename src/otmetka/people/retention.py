"""Retention of personal data (R16, 152-ФЗ ст. 5 ч. 7): students who left the school more than N
years ago keep their place in the journal (marks, absences, period marks) under a pseudonym;
their names, birth date, document, login, guardians' links and contacts, consents (with scans)
and health records are removed. The read log names them by the pseudonym from then on.

Not touched: the audit log's events (hash-chained, R4), which keep the snapshots written at the
time; the year archive's signed files (kept by their own rules)."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from otmetka.access.models import RoleMembership
from otmetka.accounts.models import User
from otmetka.audit.models import Read
from otmetka.audit.services import event_record
from otmetka.people.models import Consent, Guardian, HealthRecord, Staff, Student
from otmetka.school.models import Enrollment, School


@dataclass(frozen=True)
class Leaver:
    """A student due for anonymisation: who, of which school, left on which day."""

    student: Student
    left_on: datetime.date


def pseudonym(student: Student) -> str:
    return f"Обучающийся №{student.pk}"


def retention_due(*, years: int, school: School | None = None) -> list[Leaver]:
    """Students whose last enrollment ended more than `years` years ago (none open), not yet
    anonymised, oldest departures first."""
    today = timezone.localdate()
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    open_now = Enrollment.objects.filter(end__isnull=True).values("student_id")
    qs: QuerySet[Student] = Student.objects.exclude(pk__in=open_now).exclude(
        last_name__startswith="Обучающийся №"
    )
    if school is not None:
        qs = qs.filter(school=school)
    qs = qs.annotate(left=Max("enrollments__end")).filter(left__lt=cutoff)
    return [Leaver(s, s.left) for s in qs.select_related("school").order_by("left", "pk")]


def _account_free(user_id: int, student_ids: list[int]) -> bool:
    """Whether the account holds nothing but these students' records."""
    return not (
        RoleMembership.objects.filter(user_id=user_id).exists()
        or Staff.objects.filter(user_id=user_id).exists()
        or Student.objects.filter(user_id=user_id).exclude(pk__in=student_ids).exists()
        or Guardian.objects.filter(user_id=user_id).exclude(student_id__in=student_ids).exists()
    )


def _account_anonymise(user: User) -> None:
    user.username = f"removed-{user.pk}"
    user.first_name = user.last_name = user.middle_name = user.email = ""
    user.password = make_password(None)
    user.is_active = False
    user.save()


def retention_apply(*, leavers: list[Leaver]) -> int:
    """Anonymise the students (one transaction per school, one audit event each with the ids)."""
    by_school: dict[int, list[Student]] = {}
    for leaver in leavers:
        by_school.setdefault(leaver.student.school_id, []).append(leaver.student)
    done = 0
    for students in by_school.values():
        ids = [s.pk for s in students]
        with transaction.atomic():
            guardian_users = set(
                Guardian.objects.filter(student_id__in=ids).values_list("user_id", flat=True)
            )
            accounts = {s.user_id for s in students if s.user_id} | guardian_users
            free = [u for u in accounts if _account_free(u, ids)]
            for consent in Consent.objects.filter(student_id__in=ids):
                if consent.file:
                    consent.file.delete(save=False)
            Consent.objects.filter(student_id__in=ids).delete()
            HealthRecord.objects.filter(student_id__in=ids).delete()
            Guardian.objects.filter(student_id__in=ids).delete()
            for student in students:
                student.last_name, student.first_name, student.middle_name = (
                    pseudonym(student),
                    "",
                    "",
                )
                student.birth_date, student.gender, student.document = None, "", ""
                student.data_confirmed_on, student.user = None, None
                student.save()
                Read.objects.filter(school_id=student.school_id, student_id=student.pk).update(
                    student_name=pseudonym(student)
                )
            for user in User.objects.filter(pk__in=free):
                _account_anonymise(user)
            event_record(
                actor=None,
                action="retention_anonymise",
                obj=students[0].school,
                school_id=students[0].school_id,
                after={"students": ids, "accounts": sorted(free)},
            )
        done += len(students)
    return done
