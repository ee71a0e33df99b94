"""Reads of what the grid patches after a save, for a few students: their cells in one lesson and
their row summaries — the averages (simple and weighted, the grid's own Decimal rules) and the
absences count over the period — from one query, instead of reading the whole grid again."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, IntegerField, Value

from otmetka.journal.grid import q2
from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark
from otmetka.journal.selectors import cells_from_rows
from otmetka.journal.validation import POINT_MODES

NO_WEIGHT = Value(None, output_field=DecimalField(max_digits=3, decimal_places=1))
NO_ID = Value(None, output_field=IntegerField())


def _rows(course: Any, period: Any, ids: list[int]) -> Any:
    """The students' marks and absences in the course's lessons of the period, in one UNION ALL
    of (student, lesson, mark id | minutes late, value | code, kind | None, comment | reason,
    weight | None — an absence —, created at)."""
    lessons = Lesson.objects.filter(
        course_id=course.pk, date__gte=period.start, date__lte=period.end
    ).values("pk")
    marks = Mark.objects.filter(
        lesson_id__in=lessons, student_id__in=ids, is_deleted=False
    ).values_list(
        "student_id", "lesson_id", "pk", "value", "kind_id", "comment", "kind__weight",
        "created_at",
    )  # fmt: skip
    absences = (
        Absence.objects.filter(lesson_id__in=lessons, student_id__in=ids)
        .annotate(no_kind=NO_ID, no_weight=NO_WEIGHT)
        .values_list(
            "student_id", "lesson_id", "minutes_late", "code__code", "no_kind", "code__reason",
            "no_weight", "created_at",
        )
    )  # fmt: skip
    return marks.union(absences, all=True)


def _summary(marks: list[tuple[str, Decimal, int]], absences: int, point_mode: bool) -> dict:
    average, weighted = _counted_averages(marks) if point_mode else (None, None)
    return {"average": average, "weighted_average": weighted, "absences": absences}


def cells_and_summaries(
    *, lesson: Any, period: Any, student_ids: list[int]
) -> tuple[dict[str, dict], dict[str, dict]]:
    """The students' cells in the lesson (keyed like `lesson_cells`) and, per student id (a
    string, as JSON keys go), `average`, `weighted_average` (None without point marks or in a
    course without them) and `absences` (lateness not counted) over the course's lessons in
    the period — the numbers `journal_grid` shows (one query)."""
    ids = sorted(set(student_ids))
    return summaries_from_rows(lesson, _rows(lesson.course, period, ids), ids)


# Marks of the other lessons of the period counted, not listed (`cellread`): per student, each
# (value, weight) with how many times it occurs; and the student's absences there (no lateness).
Totals = dict[int, list[tuple[str, Decimal, int]]]


def _counted_averages(marks: list[tuple[str, Decimal, int]]) -> tuple[str | None, str | None]:
    """`grid.averages` of (value, weight, times) triples: the same sums (exact: integers and
    Decimal products), so the same two places as the grid shows."""
    points = [(int(v), w, n) for v, w, n in marks if v.isdigit()]
    if not points:
        return None, None
    simple = Decimal(sum(v * n for v, _w, n in points)) / sum(n for _v, _w, n in points)
    weighted = sum((v * w * n for v, w, n in points), Decimal(0)) / sum(
        (w * n for _v, w, n in points), Decimal(0)
    )
    return q2(simple), q2(weighted)


def summaries_from_rows(
    lesson: Any,
    rows: Any,
    ids: list[int],
    totals: Totals | None = None,
    absent: dict[int, int] | None = None,
) -> tuple[dict, dict]:
    """`cells_and_summaries` from rows already read (and patched with what a save wrote): the
    students' marks and absences in the course's lessons of the period, as `_rows` gives them —
    or only the lesson's own, with the other lessons' marks counted in `totals` and their
    absences in `absent` (the cells save's read: a few rows per student, not every mark)."""
    if totals is None:
        return _summaries(lesson, rows, ids)
    counted: dict[int, list[tuple[str, Decimal, int]]] = defaultdict(list)
    for sid, found in totals.items():
        counted[sid].extend(found)
    absences: dict[int, int] = defaultdict(int, absent or {})
    cell_marks, cell_absences = [], []
    late = AbsenceCode.Reason.LATE
    for sid, lesson_id, number, value, kind, text, weight, at in rows:
        if weight is not None:
            counted[sid].append((value, weight, 1))
            cell_marks.append((at, number, (number, lesson_id, sid, value, kind, text)))
            continue
        absences[sid] += text != late
        cell_absences.append((lesson_id, sid, value, number, text))
    return _answer_of(lesson, cell_marks, cell_absences, ids, counted, absences)


def _answer_of(
    lesson: Any, cell_marks: list, cell_absences: list, ids: list[int], counted: Any, absences: Any
) -> tuple[dict, dict]:
    """The cells (marks oldest first) and the summaries of (value, weight, times) marks."""
    cell_marks.sort(key=lambda m: (m[0], m[1]))
    cells = cells_from_rows(lesson.pk, [m[2] for m in cell_marks], cell_absences, ids)
    point_mode = lesson.course.assessment in POINT_MODES
    summaries = {str(sid): _summary(counted[sid], absences[sid], point_mode) for sid in ids}
    return cells, summaries


def _summaries(lesson: Any, rows: Any, ids: list[int]) -> tuple[dict, dict]:
    """The answer from rows listing every mark and absence of the period (`_rows`)."""
    counted: dict[int, list[tuple[str, Decimal, int]]] = defaultdict(list)
    absences: dict[int, int] = defaultdict(int)
    cell_marks, cell_absences = [], []
    late = AbsenceCode.Reason.LATE
    for sid, lesson_id, number, value, kind, text, weight, at in rows:
        here = lesson_id == lesson.pk
        if weight is not None:
            counted[sid].append((value, weight, 1))
            if here:
                cell_marks.append((at, number, (number, lesson_id, sid, value, kind, text)))
            continue
        absences[sid] += text != late
        if here:
            cell_absences.append((lesson_id, sid, value, number, text))
    return _answer_of(lesson, cell_marks, cell_absences, ids, counted, absences)
