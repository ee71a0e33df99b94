"""Reads of the КТП: a course's plan, one topic, the plans a teacher may copy."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from otmetka.accounts.models import User
from otmetka.curriculum.ktp.parse import TOPICS_MAX
from otmetka.curriculum.models import Course, PlannedTopic


def plan_for(course: Course) -> list[PlannedTopic]:
    """The topics of the course's plan in order, at most TOPICS_MAX (one query)."""
    return list(PlannedTopic.objects.filter(plan__course=course).order_by("position")[:TOPICS_MAX])


def topic_of(*, course: Course, topic_id: int | str) -> PlannedTopic:
    """A topic of this course's plan; 404 otherwise."""
    try:
        return PlannedTopic.objects.select_related(
            "plan__course__school", "plan__course__year"
        ).get(pk=topic_id, plan__course=course)
    except (PlannedTopic.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def copy_sources(*, user: User, course: Course) -> QuerySet[Course]:
    """Courses whose plan may be copied into `course`: the user's other courses and earlier
    years' courses of the same subject and grade, each with a non-empty plan."""
    q = Q(teachers__id=user.pk)
    if course.school_class is not None:  # no query for a cross-class group
        q |= Q(
            subject_id=course.subject_id,
            school_class__grade=course.school_class.grade,
            year__start__lt=course.year.start,
        )
    has_topics = Exists(PlannedTopic.objects.filter(plan__course=OuterRef("pk")))
    ids = Course.objects.filter(q, school=course.school).exclude(pk=course.pk).values("pk")
    return (
        Course.objects.filter(pk__in=ids)
        .filter(has_topics)
        .annotate(topic_count=Count("plan__topics"))
        .select_related("subject", "school_class", "year")
        .order_by("-year__start", "subject__position", "school_class__grade", "pk")
    )


def copy_source(*, user: User, course: Course, source_id: int | str) -> Course:
    """One eligible source course of `course` by id; 404 otherwise."""
    try:
        return copy_sources(user=user, course=course).get(pk=source_id)
    except (Course.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
