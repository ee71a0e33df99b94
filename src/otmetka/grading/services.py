"""Writes of period and year marks and of the school's marking policy."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from otmetka.access import grading as access
from otmetka.access.rules import period_is_closed
from otmetka.audit.services import event_build, event_record, events_save, snapshot
from otmetka.core.input import text_problem
from otmetka.curriculum.models import AssessmentMode, Course
from otmetka.grading import debts, selectors
from otmetka.grading.models import (
    EXEMPT,
    LEVEL_MAX,
    NA,
    MarkingPolicy,
    MasteryScale,
    PeriodMark,
    level_list,
)
from otmetka.journal.validation import mark_value_clean, reason_check
from otmetka.school.models import Period

NA_SPELLINGS = {"н/а", "на", "н\\а", "н.а.", "н/a"}
BASIS_MAX = 200
ENTRY_FIELDS = ("value", "na_reason", "basis")


class PeriodMarksError(ValidationError):
    """A refused batch: `errors` maps a student id to a Russian message."""

    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def period_value_clean(assessment: str, entry: dict[str, Any]) -> dict[str, str]:
    """The stored form of one entry {value, na_reason, basis}, or a Russian ValidationError;
    an empty value means "no mark" (clears an entered one)."""
    raw = {k: str(entry.get(k) or "").strip() for k in ENTRY_FIELDS}
    for text in raw.values():
        if text_problem(text):
            raise ValidationError(text_problem(text))
    value = raw["value"].lower()
    if not value:
        return {"value": "", "na_reason": "", "basis": ""}
    if assessment == AssessmentMode.NONE:
        raise ValidationError(_("This course has no marks: period marks are not given."))
    if value in NA_SPELLINGS:
        if raw["na_reason"] not in PeriodMark.NaReason.values:
            raise ValidationError(_("«н/а» needs its reason: valid or not."))
        return {"value": NA, "na_reason": raw["na_reason"], "basis": ""}
    if value == EXEMPT:
        if not raw["basis"]:
            raise ValidationError(_("«осв» needs its basis: the document, e.g. a certificate."))
        if len(raw["basis"]) > BASIS_MAX:
            raise ValidationError(_("The basis is longer than 200 characters."))
        return {"value": EXEMPT, "na_reason": "", "basis": raw["basis"]}
    if len(value) > 8:
        raise ValidationError(_("Unknown period mark: enter a mark of the course's scale."))
    return {"value": mark_value_clean(assessment, value), "na_reason": "", "basis": ""}


def _group(course: Course, period: Period | None, student_id: int) -> str:
    where = period.pk if period is not None else f"y{course.year_id}"
    return f"pm:{course.pk}:{where}:{student_id}"


def _write_check(actor: Any, course: Course, period: Period | None, reason: str) -> None:
    """Re-check the actor's right; a corrector (or a closed period) needs a stated reason."""
    reason_check(reason)
    access.period_marks_course(actor, course.school, course.pk)
    teacher_ids = set(course.teachers.values_list("pk", flat=True))
    closed = (
        selectors.year_is_closed(course)
        if period is None
        else period_is_closed(period, course.school)
    )
    role = access.period_mark_write_role(actor, course, teacher_ids=teacher_ids, closed=closed)
    if role == "corrector" and not (reason or "").strip():
        raise ValidationError(_("State the reason for the correction (it is kept in the history)."))


def _cleaned(
    course: Course, rows: list[selectors.Row], entries: dict[int, dict[str, Any]]
) -> dict[int, dict[str, str]]:
    """Every entry cleaned, or PeriodMarksError naming each bad one; students outside the
    course's roster are refused."""
    names = {r.id: r.name for r in rows}
    cleaned, errors = {}, {}
    for sid, entry in entries.items():
        if sid not in names:
            errors[sid] = _("The student is not in this course in this period.")
            continue
        try:
            cleaned[sid] = period_value_clean(course.assessment, entry)
        except ValidationError as exc:
            errors[sid] = f"{names[sid]}: {exc.messages[0]}"
    if errors:
        raise PeriodMarksError(errors)
    return cleaned


def _written(
    actor: Any,
    course: Course,
    period: Period | None,
    mark: PeriodMark | None,
    sid: int,
    data: dict[str, str],
    suggested: str,
    reason: str,
) -> Any:
    """Write one changed entry; its audit event, built (saved with the batch's)."""
    before = snapshot(mark) if mark is not None else None
    if mark is None:
        mark = PeriodMark.objects.create(
            school_id=course.school_id, student_id=sid, course=course, year_id=course.year_id,
            period=period, suggested=suggested, created_by=actor, updated_by=actor, **data,
        )  # fmt: skip
        action = "period_mark_add"
    else:
        if data["value"]:
            for k in ENTRY_FIELDS:
                setattr(mark, k, data[k])
            mark.suggested, action = suggested, "period_mark_change"
        else:
            mark.is_deleted, action = True, "period_mark_delete"
        mark.updated_by = actor
        mark.save()
    return event_build(
        actor=actor, action=action, obj=mark, before=before, after=snapshot(mark),
        reason=reason, group=_group(course, period, sid),
    )  # fmt: skip


@transaction.atomic
def period_marks_save(
    *,
    actor: Any,
    course: Course,
    period: Period | None,
    entries: dict[int, dict[str, Any]],
    reason: str = "",
) -> int:
    """Set the period (None: year) marks of a course's students, all or nothing; unchanged
    entries are skipped, an empty value clears a mark softly. Returns how many changed."""
    _write_check(actor, course, period, reason)
    rows = selectors.period_rows(course, period)
    cleaned = _cleaned(course, rows, entries)
    suggestion = {r.id: r.suggestion for r in rows}
    existing = {r.id: r.mark for r in rows if r.mark is not None}
    events = []
    for sid, data in cleaned.items():
        mark = existing.get(sid)
        if mark is None and not data["value"]:
            continue
        if mark is not None and all(getattr(mark, k) == data[k] for k in ENTRY_FIELDS):
            continue
        events.append(
            _written(actor, course, period, mark, sid, data, suggestion.get(sid, ""), reason)
        )
    events_save(events)
    if period is None:
        debts.debts_sync(actor=actor, course=course, student_ids=list(cleaned))
    return len(events)


POLICY_FIELDS = (
    "mean", "rounding", "threshold_5", "threshold_4", "threshold_3", "min_short_1h",
    "min_short_2h", "min_short_3h", "min_half_1h", "min_half_2h", "min_half_3h", "warn_days",
    "year_rule", "attestation_kind", "attestation_weight",
)  # fmt: skip


@transaction.atomic
def policy_save(*, actor: Any, school: Any, grade: int | None, data: dict[str, Any]) -> Any:
    """Create or change the school's (or a grade's) marking policy."""
    access.policy_require(actor, school, write=True)
    if not (data["threshold_5"] > data["threshold_4"] > data["threshold_3"]):
        raise ValidationError(_("The thresholds must go down: «5» above «4» above «3»."))
    kind = data.get("attestation_kind")
    if kind is not None and kind.school_id != school.pk:
        raise ValidationError(_("Unknown kind of work."))
    policy = MarkingPolicy.objects.filter(school=school, grade=grade).first()
    before = snapshot(policy) if policy is not None else None
    if policy is None:
        policy = MarkingPolicy(school=school, grade=grade)
    for name in POLICY_FIELDS:
        setattr(policy, name, data[name])
    policy.save()
    action = "policy_change" if before else "policy_add"
    event_record(actor=actor, action=action, obj=policy, before=before, after=snapshot(policy))
    return policy


@transaction.atomic
def policy_delete(*, actor: Any, school: Any, grade: int) -> None:
    """Drop a grade's own policy: the grade follows the school's again."""
    access.policy_require(actor, school, write=True)
    policy = MarkingPolicy.objects.filter(school=school, grade=grade).first()
    if policy is None:
        return
    event_record(actor=actor, action="policy_delete", obj=policy, before=snapshot(policy))
    policy.delete()


@transaction.atomic
def mastery_save(
    *, actor: Any, course: Course, period: Period, entries: dict[int, str], reason: str = ""
) -> int:
    """Set a mastery sheet's values (the course's scale, or "" to clear), all or nothing; the
    same rights and history as period marks. Returns how many changed."""
    _write_check(actor, course, period, reason)
    allowed = selectors.mastery_scale_of(course).values()
    sheet = selectors.roster(course, period.start, period.end)
    names = {sid: f"{last} {first}" for sid, last, first in sheet}
    errors: dict[int, str] = {}
    cleaned: dict[int, str] = {}
    for sid, raw in entries.items():
        value = str(raw or "").strip().lower()
        if sid not in names:
            errors[sid] = _("The student is not in this course in this period.")
        elif text_problem(value) or (value and value not in allowed):
            errors[sid] = _("%(name)s: «%(value)s» is not on the sheet's scale (%(allowed)s).") % {
                "name": names[sid], "value": value[:20], "allowed": ", ".join(allowed),
            }  # fmt: skip
        else:
            cleaned[sid] = value
    if errors:
        raise PeriodMarksError(errors)
    existing = selectors.period_marks_of([course.pk], [period.pk])
    events = []
    for sid, value in cleaned.items():
        mark = existing.get((course.pk, sid, period.pk))
        if (mark is None and not value) or (mark is not None and mark.value == value):
            continue
        data = {"value": value, "na_reason": "", "basis": ""}
        events.append(_written(actor, course, period, mark, sid, data, "", reason))
    events_save(events)
    return len(events)


@transaction.atomic
def mastery_scale_save(*, actor: Any, course: Course, kind: str, levels: str) -> MasteryScale:
    """Choose a mastery sheet's scale: «зач»/«незач» or 2–5 levels of up to 8 characters; a
    value already on the sheet may not be dropped."""
    teacher_ids = set(course.teachers.values_list("pk", flat=True))
    access.period_mark_write_role(actor, course, teacher_ids=teacher_ids, closed=False)
    if kind not in MasteryScale.Kind.values:
        raise ValidationError(_("Choose the scale: pass / fail or levels."))
    if text_problem(levels) or len(levels) > 100:
        raise ValidationError(_("The levels are too long or contain characters not allowed."))
    scale = selectors.mastery_scale_of(course)
    before = snapshot(scale) if scale.pk else None
    scale.kind = kind
    if kind == MasteryScale.Kind.LEVELS:
        names = level_list(levels)
        if not 2 <= len(names) <= 5 or len(set(names)) != len(names):
            raise ValidationError(_("Give 2 to 5 different levels, separated by commas."))
        if any(len(n) > LEVEL_MAX for n in names):
            raise ValidationError(_("A level is at most 8 characters long (e.g. «высокий»)."))
        scale.levels = ", ".join(names)
    used = set(
        PeriodMark.objects.filter(course=course, is_deleted=False).values_list("value", flat=True)
    )
    dropped = sorted(used - set(scale.values()))
    if dropped:
        text = _("The sheet already has «%(values)s»: clear those first.")
        raise ValidationError(text % {"values": ", ".join(dropped)})
    scale.save()
    action = "mastery_scale_change" if before else "mastery_scale_add"
    event_record(actor=actor, action=action, obj=scale, before=before, after=snapshot(scale))
    return scale
