"""КТП progress: the course's plan against the lessons held (a lesson counts when it has a topic),
the topics still to come. Reads of the journal, beside the plan it measures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from otmetka.curriculum.ktp.parse import TOPICS_MAX
from otmetka.curriculum.models import Course, PlannedTopic
from otmetka.journal.models import Lesson
from otmetka.school.models import Period


def _delivered_lessons(course: Course, period: Period | None = None) -> QuerySet[Lesson]:
    qs = Lesson.objects.filter(course=course).exclude(topic="")
    qs = qs.exclude(status=Lesson.Status.CANCELLED)
    if period is not None:
        qs = qs.filter(date__gte=period.start, date__lte=period.end)
    return qs


@dataclass
class PlanRow:
    """A topic with the lessons delivered for it."""

    topic: PlannedTopic
    delivered: int
    overdue: bool


@dataclass
class PlanVsDelivered:
    """Per-topic rows and totals: planned hours, held hours, lag by planned dates up to today."""

    rows: list[PlanRow]
    planned_hours: int
    held_hours: int
    due_hours: int
    lag: int
    truncated: bool = False  # the plan has more than TOPICS_MAX topics; only those are shown


def plan_vs_delivered(*, course: Course, period: Period | None = None) -> PlanVsDelivered:
    """Plan against lessons held (a lesson counts when it has a topic); two queries."""
    today = timezone.localdate()
    delivered = _delivered_lessons(course, period)
    lesson_filter = Q(lesson__pk__in=delivered.values("pk"))
    topics = PlannedTopic.objects.filter(plan__course=course)
    if period is not None:
        topics = topics.filter(planned_date__gte=period.start, planned_date__lte=period.end)
    topics = topics.annotate(delivered=Count("lesson", filter=lesson_filter)).order_by("position")
    # A page shows at most TOPICS_MAX topics (one more is read to know there are more): an
    # older plan over the cap cannot make the page slow.
    shown = list(topics[: TOPICS_MAX + 1])
    truncated = len(shown) > TOPICS_MAX
    rows = [
        PlanRow(
            topic=t,
            delivered=t.delivered,
            overdue=bool(t.planned_date and t.planned_date <= today and t.delivered < t.hours),
        )
        for t in shown[:TOPICS_MAX]
    ]
    held = delivered.filter(date__lte=today).count()
    planned = sum(r.topic.hours for r in rows)
    due = sum(r.topic.hours for r in rows if r.topic.planned_date and r.topic.planned_date <= today)
    return PlanVsDelivered(
        rows=rows,
        planned_hours=planned,
        held_hours=held,
        due_hours=due,
        lag=max(0, due - held),
        truncated=truncated,
    )


def next_planned_topics(*, course: Course, n: int = 3) -> list[PlannedTopic]:
    """The first `n` topics, in order, that no lesson with a topic points to yet (one query)."""
    done = _delivered_lessons(course).filter(planned_topic=OuterRef("pk"))
    return list(
        PlannedTopic.objects.filter(plan__course_id=course.pk)
        .filter(~Exists(done))
        .order_by("position")[:n]
    )
