"""Writes on the КТП: import (all rows or nothing), editing topics, copying a plan."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _

from otmetka.access.rules import plan_require_write
from otmetka.accounts.models import User
from otmetka.audit.services import event_record, snapshot
from otmetka.curriculum.ktp.parse import (
    _SHIFT,
    CONTROL_WORDS,
    TOPICS_MAX,
    ImportReport,
    PlanImportError,
    _parse,
    _too_many_topics,
)
from otmetka.curriculum.ktp.selectors import copy_sources
from otmetka.curriculum.models import Course, PlannedTopic, ThematicPlan


def _plan(course: Course) -> ThematicPlan:
    plan, _created = ThematicPlan.objects.get_or_create(
        course=course, defaults={"school_id": course.school_id}
    )
    return plan


def _is_control(kind: str) -> bool:
    low = kind.lower()
    return any(word in low for word in CONTROL_WORDS)


def _renumber(plan: ThematicPlan, ordered: list[PlannedTopic]) -> None:
    """Give `ordered` the positions 1..n, touching only the rows whose number changes (moved out
    of the way first: positions are unique within a plan)."""
    changed = [(n, t) for n, t in enumerate(ordered, start=1) if t.position != n]
    if not changed:
        return
    ids = [t.pk for _n, t in changed]
    PlannedTopic.objects.filter(plan=plan, pk__in=ids).update(position=F("position") + _SHIFT)
    for number, topic in changed:
        PlannedTopic.objects.filter(pk=topic.pk).update(position=number)
        topic.position = number


def _referenced_ids(topic_ids: list[int]) -> set[int]:
    """Topics that lessons point to (through the lessons' planned topic, read from this side)."""
    linked = PlannedTopic.objects.filter(pk__in=topic_ids, lesson__isnull=False)
    return set(linked.values_list("pk", flat=True))


def _write_rows(
    *, plan: ThematicPlan, rows: list[dict[str, Any]], replace: bool
) -> tuple[int, int]:
    """Write topic rows into the plan; returns (written, replaced). When replacing, a topic that
    lessons point to keeps its row (updated in place by number, so the lessons stay linked);
    refuses when such a topic would disappear."""
    if len(rows) > TOPICS_MAX:
        raise ValidationError(_too_many_topics())
    existing = list(PlannedTopic.objects.filter(plan=plan).order_by("position"))
    if existing and not replace:
        raise ValidationError(
            _("The plan already has topics. Tick «Replace existing topics» to overwrite them.")
        )
    used = _referenced_ids([t.pk for t in existing])
    dropped = [t for t in existing[len(rows) :] if t.pk in used]
    if dropped:
        titles = ", ".join(f"{t.position}. {t.title}" for t in dropped)
        raise ValidationError(
            _("Lessons point to topics the new plan drops: %(titles)s.") % {"titles": titles}
        )
    PlannedTopic.objects.filter(plan=plan).exclude(pk__in=used).delete()
    PlannedTopic.objects.filter(plan=plan).update(position=F("position") + _SHIFT)
    new = []
    for number, row in enumerate(rows, start=1):
        old = existing[number - 1] if number <= len(existing) else None
        if old is not None and old.pk in used:
            PlannedTopic.objects.filter(pk=old.pk).update(position=number, **row)
        else:
            new.append(PlannedTopic(school_id=plan.school_id, plan=plan, position=number, **row))
    PlannedTopic.objects.bulk_create(new)
    plan.save(update_fields=["updated_at"])
    return len(rows), len(existing)


def plan_import(
    *, actor: User, course: Course, uploaded_file: Any, replace: bool = False
) -> ImportReport:
    """Load a КТП from an XLSX or CSV file: all rows or nothing; raises PlanImportError listing
    every bad row."""
    plan_require_write(actor, course)
    report = ImportReport()
    rows = _parse(uploaded_file, course, report)
    if report.errors:
        raise PlanImportError(report)
    data = [
        {
            "title": r.title,
            "hours": r.hours,
            "planned_date": r.planned_date,
            "work_kind": r.work_kind,
            "is_control": _is_control(r.work_kind),
        }
        for r in rows
    ]
    with transaction.atomic():
        plan = _plan(course)
        report.topics, report.replaced = _write_rows(plan=plan, rows=data, replace=replace)
        event_record(
            actor=actor,
            action="ktp_import",
            obj=plan,
            before={"topics": report.replaced},
            after={"topics": report.topics, "file": getattr(uploaded_file, "name", "")},
        )
    return report


# --- editing --------------------------------------------------------------------------------


def _topic_problems(*, course: Course, title: str, hours: Any, planned_date: Any) -> None:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("The lesson topic is empty.")]
    elif len(title.strip()) > 500:
        errors["title"] = [_("The topic is longer than 500 characters.")]
    if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= 100:
        errors["hours"] = [_("The hours are not a positive whole number.")]
    if planned_date and not course.year.start <= planned_date <= course.year.end:
        errors["planned_date"] = [
            _("The date %(date)s is outside the academic year %(year)s.")
            % {"date": planned_date.strftime("%d.%m.%Y"), "year": course.year.name}
        ]
    if errors:
        raise ValidationError(errors)


def plan_topic_add(
    *,
    actor: User,
    course: Course,
    title: str,
    hours: int = 1,
    planned_date: datetime.date | None = None,
    work_kind: str = "",
    position: int | None = None,
) -> PlannedTopic:
    """Add a topic at the end of the plan (or before the topic now at `position`)."""
    plan_require_write(actor, course)
    _topic_problems(course=course, title=title, hours=hours, planned_date=planned_date)
    with transaction.atomic():
        plan = _plan(course)
        ordered = list(PlannedTopic.objects.filter(plan=plan).order_by("position"))
        if len(ordered) >= TOPICS_MAX:
            raise ValidationError(_too_many_topics())
        at = len(ordered) if position is None else max(0, min(position - 1, len(ordered)))
        topic = PlannedTopic(
            school_id=course.school_id,
            plan=plan,
            position=_SHIFT * 2,
            title=title.strip(),
            hours=hours,
            planned_date=planned_date,
            work_kind=work_kind.strip()[:100],
            is_control=_is_control(work_kind),
        )
        topic.save()
        ordered.insert(at, topic)
        _renumber(plan, ordered)
        plan.save(update_fields=["updated_at"])
        event_record(actor=actor, action="ktp_topic_add", obj=topic, after=snapshot(topic))
    return topic


def plan_topic_change(
    *,
    actor: User,
    topic: PlannedTopic,
    title: str,
    hours: int,
    planned_date: datetime.date | None = None,
    work_kind: str = "",
) -> PlannedTopic:
    """Change a topic's title, hours, planned date or work kind."""
    course = topic.plan.course
    plan_require_write(actor, course)
    _topic_problems(course=course, title=title, hours=hours, planned_date=planned_date)
    before = snapshot(topic)
    topic.title, topic.hours, topic.planned_date = title.strip(), hours, planned_date
    topic.work_kind = work_kind.strip()[:100]
    topic.is_control = _is_control(topic.work_kind)
    with transaction.atomic():
        topic.save()
        event_record(
            actor=actor, action="ktp_topic_change", obj=topic, before=before, after=snapshot(topic)
        )
    return topic


def plan_topic_move(*, actor: User, topic: PlannedTopic, position: int) -> PlannedTopic:
    """Move a topic to another number; the others shift to make room."""
    plan = topic.plan
    plan_require_write(actor, plan.course)
    before = snapshot(topic)
    with transaction.atomic():
        ordered = [t for t in PlannedTopic.objects.filter(plan=plan).order_by("position")]
        mine = next(t for t in ordered if t.pk == topic.pk)
        ordered.remove(mine)
        ordered.insert(max(0, min(position - 1, len(ordered))), mine)
        _renumber(plan, ordered)
        topic.position = mine.position
        event_record(
            actor=actor, action="ktp_topic_move", obj=topic, before=before, after=snapshot(mine)
        )
    return topic


def plan_topic_delete(*, actor: User, topic: PlannedTopic) -> None:
    """Delete a topic no lesson points to; the following topics move up."""
    plan = topic.plan
    plan_require_write(actor, plan.course)
    if PlannedTopic.objects.filter(pk=topic.pk, lesson__isnull=False).exists():
        raise ValidationError(_("Lessons already point to this topic: it cannot be deleted."))
    before = snapshot(topic)
    with transaction.atomic():
        event_record(actor=actor, action="ktp_topic_delete", obj=topic, before=before)
        topic.delete()
        _renumber(plan, list(PlannedTopic.objects.filter(plan=plan).order_by("position")))
        plan.save(update_fields=["updated_at"])


# --- copying ---------------------------------------------------------------------------------


def plan_copy(
    *, actor: User, source_course: Course, target_course: Course, replace: bool = False
) -> int:
    """Copy the plan of an eligible course into the target (dates kept within the same year
    only); refuses when the target has topics unless `replace`. Returns the topic count."""
    plan_require_write(actor, target_course)
    if not copy_sources(user=actor, course=target_course).filter(pk=source_course.pk).exists():
        raise Http404
    same_year = source_course.year_id == target_course.year_id
    rows = [
        {
            "title": t.title,
            "hours": t.hours,
            "planned_date": t.planned_date if same_year else None,
            "work_kind": t.work_kind,
            "is_control": t.is_control,
        }
        for t in PlannedTopic.objects.filter(plan__course=source_course).order_by("position")
    ]
    with transaction.atomic():
        plan = _plan(target_course)
        written, replaced = _write_rows(plan=plan, rows=rows, replace=replace)
        event_record(
            actor=actor,
            action="ktp_copy",
            obj=plan,
            before={"topics": replaced},
            after={"topics": written, "source_course": source_course.pk},
        )
    return written
