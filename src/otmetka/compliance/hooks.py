"""Where the journal's saves reach the deadline engine: ONE place, one query per save.

* `journal.signals.cells_saved` (a batch of marks/absences of a lesson was written) and
  Lesson's post_save (topic, homework, attendance taken, moved, cancelled) call
  `entries_saved(lesson)`;
* it inserts a `RollupDirty` row for the lesson's (course, day), ignoring a duplicate;
* the worker (`compliance_tick`, every minute) recomputes those rollups: staleness ≤ 1 minute.
"""

from typing import Any

from django.db.models.signals import post_save

from otmetka.compliance.models import RollupDirty
from otmetka.journal.models import Lesson
from otmetka.journal.signals import cells_saved


def entries_saved(lesson: Lesson) -> None:
    """Mark the lesson's (course, day) rollup stale: one INSERT that ignores a duplicate."""
    row = RollupDirty(school_id=lesson.school_id, course_id=lesson.course_id, day=lesson.date)
    RollupDirty.objects.bulk_create([row], ignore_conflicts=True)


def _cells(sender: Any, *, lesson: Lesson, **kwargs: Any) -> None:
    entries_saved(lesson)


def _lesson(sender: Any, *, instance: Lesson, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        entries_saved(instance)


def connect() -> None:
    """Connect the receivers (the app's ready())."""
    cells_saved.connect(_cells, sender=Lesson, dispatch_uid="compliance-cells")
    post_save.connect(_lesson, sender=Lesson, dispatch_uid="compliance-lesson")
