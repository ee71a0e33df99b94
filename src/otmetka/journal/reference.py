"""Writes on the school's tables of kinds of work (with their weights) and absence codes: the
journal's reference data, kept by the admin and the deputy."""

from decimal import Decimal
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

from otmetka.access import rules
from otmetka.audit.services import row_save
from otmetka.core.validation import Errors, add, own
from otmetka.journal.models import AbsenceCode, MarkKind

# --- kinds of work ------------------------------------------------------------------------------


def _mark_kind_problems(*, school: Any, mark_kind: MarkKind, name: str, weight: Any) -> Errors:
    errors: Errors = {}
    if not name:
        add(errors, "name", _("Name the kind of work."))
    others = MarkKind.objects.filter(school=school).exclude(pk=mark_kind.pk)
    if name and any(k.name.casefold() == name.casefold() for k in others):
        add(errors, "name", _("The kind of work «%(name)s» already exists.") % {"name": name})
    if weight is None or not Decimal("0.5") <= weight <= Decimal("10"):
        add(errors, "weight", _("The weight is a number from 0.5 to 10."))
    return errors


def mark_kind_create(*, actor: Any, school: Any, **data: Any) -> MarkKind:
    """Add a kind of work with its weight to the school's table."""
    return mark_kind_update(actor=actor, school=school, mark_kind=MarkKind(school=school), **data)


def mark_kind_update(*, actor: Any, school: Any, mark_kind: MarkKind, **data: Any) -> MarkKind:
    """Rename, reweigh or retire a kind of work (marks keep it: nothing is deleted)."""
    rules.require(actor, school, "journal_tables", rules.CHANGE)
    own(mark_kind, school)
    name = (data["name"] or "").strip()
    fields = {
        "name": name,
        "short": data["short"].strip(),
        "weight": data["weight"],
        "is_written": data["is_written"],
        "position": data["position"],
        "is_active": data["is_active"],
    }
    problems = partial(
        _mark_kind_problems, school=school, mark_kind=mark_kind, name=name, weight=data["weight"]
    )
    return row_save(actor=actor, obj=mark_kind, kind="mark_kind", fields=fields, problems=problems)


# --- absence codes ------------------------------------------------------------------------------


def _absence_code_problems(
    *, school: Any, absence_code: AbsenceCode, code: str, name: str
) -> Errors:
    errors: Errors = {}
    if not code or len(code) > 4 or not code.isalpha():
        add(errors, "code", _("The code is one to four letters, e.g. «н» or «оп»."))
    others = AbsenceCode.objects.filter(school=school).exclude(pk=absence_code.pk)
    if code and others.filter(code=code).exists():
        add(errors, "code", _("The code «%(code)s» already exists.") % {"code": code})
    if not name:
        add(errors, "name", _("Name what the code means."))
    return errors


def absence_code_create(*, actor: Any, school: Any, **data: Any) -> AbsenceCode:
    """Add a code to the school's table of absence codes."""
    code = AbsenceCode(school=school)
    return absence_code_update(actor=actor, school=school, absence_code=code, **data)


def absence_code_update(
    *, actor: Any, school: Any, absence_code: AbsenceCode, **data: Any
) -> AbsenceCode:
    """Change an absence code's letters, meaning or kind of reason."""
    rules.require(actor, school, "journal_tables", rules.CHANGE)
    own(absence_code, school)
    code = (data["code"] or "").strip().lower()
    name = (data["name"] or "").strip()
    fields = {"code": code, "name": name, "reason": data["reason"], "position": data["position"]}
    problems = partial(
        _absence_code_problems, school=school, absence_code=absence_code, code=code, name=name
    )
    kind = "absence_code"
    return row_save(actor=actor, obj=absence_code, kind=kind, fields=fields, problems=problems)
