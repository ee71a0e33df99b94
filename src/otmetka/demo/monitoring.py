"""Demo data for the deputy's monitoring: estimated homework minutes on the last four weeks'
homework (R38), with one class's heaviest day over its grade's limit, so the homework load
table shows something real. Written in bulk around the services (no audit events per row)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from otmetka.journal.models import Lesson
from otmetka.school.models import School

WEEKS = 4
HEAVY = 45  # minutes a lesson of the overloaded day


def monitoring_demo_add(*, school: School, today: datetime.date) -> dict[str, int]:
    """Give the recent homework of the school an estimated time (15–45 minutes by turns) and
    make the day with the most homework of one class exceed R38's limit; returns the counts."""
    since = today - datetime.timedelta(weeks=WEEKS)
    rows = list(
        Lesson.objects.filter(school=school, date__gte=since, date__lte=today)
        .exclude(homework="")
        .exclude(course__school_class=None)
        .values_list("pk", "course__school_class_id", "date")
        .order_by("pk")
    )
    by_minutes: dict[int, list[int]] = defaultdict(list)
    days: dict[tuple[int, datetime.date], list[int]] = defaultdict(list)
    for pk, class_id, day in rows:
        by_minutes[15 + pk % 4 * 10].append(pk)
        days[(class_id, day)].append(pk)
    if days:
        heaviest = max(days.values(), key=len)
        by_minutes = {m: [pk for pk in pks if pk not in heaviest] for m, pks in by_minutes.items()}
        by_minutes[HEAVY] = heaviest
    for minutes, pks in by_minutes.items():
        Lesson.objects.filter(pk__in=pks).update(homework_minutes=minutes)
    return {"homework_minutes": len(rows)}
