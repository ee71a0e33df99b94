"""Reads of the grid's row summaries for a few students: the averages (simple and weighted, the
grid's own Decimal rules) and the absences count over a period — what the grid patches after a
save instead of reading the whole grid again."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import CharField, DecimalField, Value

from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark
from otmetka.journal.selectors import _averages
from otmetka.journal.validation import POINT_MODES


def student_summaries(*, course: Any, period: Any, student_ids: list[int]) -> dict[str, dict]:
    """Per student id (a string, as JSON keys go): `average`, `weighted_average` (None without
    point marks or in a course without them) and `absences` (lateness not counted), over the
    course's lessons in the period — the same numbers `journal_grid` shows (one query)."""
    ids = sorted(set(student_ids))
    marks: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    absences: dict[int, int] = defaultdict(int)
    for sid, value, weight in _rows(course, period, ids):
        if weight is None:
            absences[sid] += 1
        else:
            marks[sid].append((value, weight))
    point_mode = course.assessment in POINT_MODES
    summaries = {}
    for sid in ids:
        average, weighted = _averages(marks[sid]) if point_mode else (None, None)
        summaries[str(sid)] = {
            "average": average,
            "weighted_average": weighted,
            "absences": absences[sid],
        }
    return summaries


def _rows(course: Any, period: Any, ids: list[int]) -> Any:
    """(student, value, weight) of the students' marks and (student, "", None) of each of
    their absences (but lateness) in the course's lessons of the period, in one UNION ALL."""
    if not ids:
        return []
    lessons = Lesson.objects.filter(
        course_id=course.pk, date__gte=period.start, date__lte=period.end
    ).values("pk")
    marks = Mark.objects.filter(
        lesson_id__in=lessons, student_id__in=ids, is_deleted=False
    ).values_list("student_id", "value", "kind__weight")
    absences = (
        Absence.objects.filter(lesson_id__in=lessons, student_id__in=ids)
        .exclude(code__reason=AbsenceCode.Reason.LATE)
        .annotate(
            no_value=Value("", output_field=CharField()),
            no_weight=Value(None, output_field=DecimalField(max_digits=3, decimal_places=1)),
        )
        .values_list("student_id", "no_value", "no_weight")
    )
    return marks.union(absences, all=True)
