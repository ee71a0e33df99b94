"""Writes on the curriculum's reference data: the school's subject catalogue."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from otmetka.access.rules import CHANGE, require
from otmetka.audit.services import snapshot
from otmetka.curriculum.models import Subject
from otmetka.school.services import Errors, add, fail_if, own, save_audited


def _names_casefolded(*, school: Any, exclude: Any) -> set[str]:
    # Compared in Python: SQLite folds the case of ASCII letters only.
    names = Subject.objects.filter(school=school).exclude(pk=exclude).values_list("name", flat=True)
    return {n.casefold() for n in names}


def _subject_problems(*, school: Any, subject: Subject, name: str, position: int) -> Errors:
    errors: Errors = {}
    if not name.strip():
        add(errors, "name", _("Write the name of the subject."))
    elif name.strip().casefold() in _names_casefolded(school=school, exclude=subject.pk):
        add(errors, "name", _("The subject «%(name)s» already exists.") % {"name": name.strip()})
    if not 0 <= position <= 999:
        add(errors, "position", _("The list position is a number from 0 to 999."))
    return errors


def _subject_save(
    *,
    actor: Any,
    school: Any,
    subject: Subject,
    action: str,
    name: str,
    short_name: str,
    position: int,
) -> Subject:
    fail_if(_subject_problems(school=school, subject=subject, name=name, position=position))
    before = snapshot(subject) if subject.pk else None
    subject.name, subject.short_name, subject.position = name.strip(), short_name.strip(), position
    with transaction.atomic():
        save_audited(actor=actor, obj=subject, action=action, before=before)
    return subject


def subject_create(
    *, actor: Any, school: Any, name: str, short_name: str = "", position: int = 100
) -> Subject:
    """Add a subject to the school's catalogue."""
    require(actor, school, "subject", CHANGE)
    return _subject_save(
        actor=actor,
        school=school,
        subject=Subject(school=school),
        action="subject_create",
        name=name,
        short_name=short_name,
        position=position,
    )


def subject_update(
    *,
    actor: Any,
    school: Any,
    subject: Subject,
    name: str,
    short_name: str = "",
    position: int = 100,
) -> Subject:
    """Rename a subject or change its place in lists."""
    require(actor, school, "subject", CHANGE)
    own(subject, school)
    return _subject_save(
        actor=actor,
        school=school,
        subject=subject,
        action="subject_update",
        name=name,
        short_name=short_name,
        position=position,
    )
