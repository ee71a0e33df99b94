"""Writes on a student's personal data (R8, R16–R19): consents with their scanned copies, the
"confirmed current" mark of the homeroom teacher, the nurse's health records, and the log of
reads of sensitive data. Each checks the actor's rights (`access.privacy`) and writes its audit
event in the same transaction."""

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access.privacy import student_rights
from otmetka.accounts.models import User
from otmetka.audit.models import Read, ReadKind
from otmetka.audit.services import event_record, request_ip, snapshot
from otmetka.core.uploads import homework_file_check, homework_file_content_check
from otmetka.core.validation import Errors, add, fail_if, own
from otmetka.people.models import Consent, HealthRecord, Student
from otmetka.school.models import School


def _allowed(actor: User, school: School, student: Student, right: str) -> None:
    own(student, school)
    if not getattr(student_rights(actor, school, student), right):
        raise PermissionDenied


def _dates_problems(errors: Errors, start: datetime.date, end: datetime.date | None) -> None:
    today = timezone.localdate()
    if start > today:
        add(errors, "__all__", _("The date cannot be in the future."))
    if end is not None and end < start:
        add(errors, "__all__", _("The end date is before the start date."))


def consent_add(
    *,
    actor: User,
    school: School,
    student: Student,
    kind: str,
    signed_by: str,
    given_on: datetime.date,
    scope: str = "",
    file: Any = None,
) -> Consent:
    """Register a signed consent of a student (with its scanned copy, same limits as homework
    files)."""
    _allowed(actor, school, student, "data_write")
    errors: Errors = {}
    _dates_problems(errors, given_on, None)
    if not signed_by.strip():
        add(errors, "signed_by", _("Say who signed the consent."))
    name = ""
    if file is not None:
        name = str(getattr(file, "name", "") or "file")[-200:]
        try:
            homework_file_check(name, int(getattr(file, "size", 0) or 0))
            homework_file_content_check(name, file)
        except ValidationError as error:
            for message in error.messages:
                add(errors, "file", message)
    fail_if(errors)
    consent = Consent(
        school=school,
        student=student,
        kind=kind,
        signed_by=signed_by.strip(),
        given_on=given_on,
        scope=scope.strip(),
        created_by=actor,
    )
    with transaction.atomic():
        if file is not None:
            consent.name, consent.size = name, int(file.size)
            ext = name.rsplit(".", 1)[-1].lower()
            consent.file.save(f"{uuid.uuid4().hex}.{ext}", file, save=False)
        consent.save()
        after = {k: v for k, v in snapshot(consent).items() if k != "file"}
        event_record(actor=actor, action="consent_add", obj=consent, after=after)
    return consent


def consent_withdraw(
    *, actor: User, school: School, consent: Consent, withdrawn_on: datetime.date
) -> Consent:
    """Withdraw a consent from a day: the processing that rested on it stops (R17, R19)."""
    own(consent, school)
    _allowed(actor, school, consent.student, "data_write")
    errors: Errors = {}
    if consent.withdrawn_on is not None:
        add(errors, "__all__", _("This consent is already withdrawn."))
    _dates_problems(errors, consent.given_on, withdrawn_on)
    if withdrawn_on > timezone.localdate():
        add(errors, "withdrawn_on", _("The date cannot be in the future."))
    fail_if(errors)
    with transaction.atomic():
        Consent.objects.filter(pk=consent.pk).update(withdrawn_on=withdrawn_on)
        consent.withdrawn_on = withdrawn_on
        event_record(
            actor=actor,
            action="consent_withdraw",
            obj=consent,
            before={"withdrawn_on": None},
            after={"withdrawn_on": withdrawn_on.isoformat()},
        )
    return consent


def data_confirm(
    *,
    actor: User,
    school: School,
    student: Student,
    birth_date: datetime.date | None,
    document: str,
) -> Student:
    """The homeroom teacher checked the student's record: birth date and document as they are
    now, confirmed current today (4.1–4.2)."""
    _allowed(actor, school, student, "data_write")
    errors: Errors = {}
    if birth_date is not None and birth_date > timezone.localdate():
        add(errors, "birth_date", _("The date cannot be in the future."))
    fail_if(errors)
    with transaction.atomic():
        before = {
            "birth_date": student.birth_date.isoformat() if student.birth_date else None,
            "document": student.document,
            "data_confirmed_on": student.data_confirmed_on.isoformat()
            if student.data_confirmed_on
            else None,
        }
        student.birth_date, student.document = birth_date, document.strip()
        student.data_confirmed_on = timezone.localdate()
        student.save(update_fields=["birth_date", "document", "data_confirmed_on"])
        after = {
            "birth_date": birth_date.isoformat() if birth_date else None,
            "document": student.document,
            "data_confirmed_on": student.data_confirmed_on.isoformat(),
        }
        event_record(
            actor=actor, action="student_data_confirm", obj=student, before=before, after=after
        )
    return student


def health_record_add(
    *,
    actor: User,
    school: School,
    student: Student,
    health_group: str,
    pe_group: str,
    start: datetime.date,
    end: datetime.date | None,
    basis: str,
) -> HealthRecord:
    """The nurse records a student's health group and PE group from a date, on a basis (a
    medical certificate): only the nurse writes (R18)."""
    _allowed(actor, school, student, "health_write")
    errors: Errors = {}
    _dates_problems(errors, start, end)
    if not basis.strip():
        add(errors, "basis", _("Name the basis (the medical document)."))
    fail_if(errors)
    record = HealthRecord(
        school=school,
        student=student,
        health_group=health_group,
        pe_group=pe_group,
        start=start,
        end=end,
        basis=basis.strip(),
        created_by=actor,
    )
    with transaction.atomic():
        record.save()
        event_record(actor=actor, action="health_record_add", obj=record, after=snapshot(record))
    return record


def reads_log(*, reader: User, school: School, kind: str, students: Iterable[Student]) -> None:
    """Log that `reader` saw `kind` data of these students (R8): one INSERT for a page."""
    now = timezone.now()
    ip = request_ip()
    rows = [
        Read(
            school=school,
            reader=reader,
            at=now,
            kind=ReadKind(kind),
            student_id=s.pk,
            student_name=s.full_name,
            ip=ip,
        )
        for s in students
    ]
    if rows:
        Read.objects.bulk_create(rows)
