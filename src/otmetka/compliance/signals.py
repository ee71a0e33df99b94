"""Deleting a course keeps the per-(school, day) sums true at once.

A course's `DayRollup` rows go with it (the foreign key cascades), but the `SchoolDayRollup`
sums are kept by `rollups.school_days_refresh`, which only runs for days whose course rows are
written: without this the region dashboard kept counting a deleted course's lessons until its
days happened to be refreshed. The app has no "deactivate a course"; courses go by deletion (the
admin site, or a class or year deleted with its courses), so the two delete signals cover all.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max, Min

from otmetka.compliance.models import DayRollup
from otmetka.compliance.rollups import school_days_refresh


def course_days_note(sender: Any, instance: Any, **kwargs: Any) -> None:
    """pre_delete: remember the first and last day the course has rollup rows for."""
    span = DayRollup.objects.filter(course_id=instance.pk).aggregate(
        start=Min("day"), end=Max("day")
    )
    instance._rollup_days = (span["start"], span["end"]) if span["start"] else None


def course_days_refresh(sender: Any, instance: Any, **kwargs: Any) -> None:
    """post_delete (its rollup rows are gone by now): make the school-days of its span the sums
    of the courses left, dropping the days no course has any more."""
    span = getattr(instance, "_rollup_days", None)
    if span is not None:
        school_days_refresh(start=span[0], end=span[1], school_id=instance.school_id)
