"""The one read of a cells save: the lesson's period with the write role's facts, the batch's
students (in the class on the lesson's date or not), its kinds of work (with their weights) and
absence codes, and the students' marks and absences in the course's lessons of the period (the
lesson's own cells among them) — one UNION ALL of typed rows, so the answer's cells and
averages are computed from what was read and written, with no read-back."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    Exists,
    F,
    Field,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast

from otmetka.access.lesson_writes import lesson_write_facts
from otmetka.curriculum.conflicts import whole_class
from otmetka.curriculum.models import CourseMember
from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark, MarkKind
from otmetka.journal.selectors import lesson_periods
from otmetka.people.models import Student
from otmetka.school.models import Enrollment, Period

if TYPE_CHECKING:
    from django.db.models import QuerySet

PERIOD, STUDENT, KIND, CODE, MARK, ABSENCE = range(6)
# The row's columns (every part fills them, NULLs typed so PostgreSQL matches the parts).
_TYPES: dict[str, Field[Any, Any]] = {
    "c_tag": IntegerField(),
    "c_sid": IntegerField(),
    "c_lesson": IntegerField(),
    "c_number": IntegerField(),
    "c_text": CharField(),
    "c_kind": IntegerField(),
    "c_note": CharField(),
    "c_weight": DecimalField(max_digits=3, decimal_places=1),
    "c_at": DateTimeField(),
    "c_start": DateField(),
    "c_end": DateField(),
}
COLUMNS = tuple(_TYPES)
# A mark or absence in the summary's shape: (student, lesson, mark id | minutes late,
# value | code, kind | None, comment | reason, weight | None — an absence —, created at).
Row = tuple[int, int, Any, str, Any, str, Any, Any]


@dataclass
class CellsRead:
    """What the one read found."""

    period: Period | None = None
    is_teacher: bool = False
    substitute_id: int | None = None
    students: set[int] = field(default_factory=set)
    enrolled: set[int] = field(default_factory=set)
    kinds: dict[int, Decimal] = field(default_factory=dict)  # active kind id → weight
    codes: dict[str, AbsenceCode] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)


def _part(qs: QuerySet[Any], tag: int, **given: Any) -> QuerySet[Any]:
    """One part of the union: the given columns, the others NULL of their type."""
    columns = {
        c: given[c] if c in given else Cast(Value(None), output_field=_TYPES[c]) for c in COLUMNS
    }
    columns["c_tag"] = Value(tag, output_field=IntegerField())
    return qs.order_by().annotate(**columns).values_list(*COLUMNS)


def _int(expr: Any) -> Case:
    return Case(When(expr, then=Value(1)), default=Value(0), output_field=IntegerField())


def cells_read(
    actor: Any, lesson: Lesson, ids: list[int], kind_ids: list[int], codes: list[str]
) -> CellsRead:
    """The batch's facts in one query (see the module's docstring)."""
    school_id, course = lesson.school_id, lesson.course
    periods = lesson_periods(lesson)
    facts = lesson_write_facts(actor, lesson)
    parts = [
        _part(
            periods,
            PERIOD,
            c_number=F("pk"),
            c_kind=_int(facts["is_teacher"]),
            c_sid=facts["substitute_id"],
            c_at=F("closed_at"),
            c_start=F("start"),
            c_end=F("end"),
        )
    ]
    if whole_class(course):
        rows: QuerySet[Enrollment] | QuerySet[CourseMember] = Enrollment.objects.active_on(
            lesson.date
        ).filter(school_class_id=course.school_class_id)
    else:
        rows = CourseMember.objects.active_on(lesson.date).filter(course_id=course.pk)
    students = Student.objects.filter(school_id=school_id, pk__in=ids)
    enrolled = _int(Exists(rows.filter(student_id=OuterRef("pk"))))
    parts.append(_part(students, STUDENT, c_sid=F("pk"), c_number=enrolled))
    if kind_ids:
        kinds = MarkKind.objects.filter(school_id=school_id, is_active=True, pk__in=kind_ids)
        parts.append(_part(kinds, KIND, c_number=F("pk"), c_weight=F("weight")))
    if codes:
        found = AbsenceCode.objects.filter(school_id=school_id, code__in=codes)
        parts.append(_part(found, CODE, c_number=F("pk"), c_text=F("code"), c_note=F("reason")))
    in_period = Lesson.objects.filter(
        course_id=course.pk,
        date__gte=Subquery(periods.values("start")[:1]),
        date__lte=Subquery(periods.values("end")[:1]),
    ).values("pk")
    where = Q(lesson_id=lesson.pk) | Q(lesson_id__in=in_period)
    marks = Mark.objects.filter(where, student_id__in=ids, is_deleted=False)
    parts.append(
        _part(
            marks, MARK, c_sid=F("student_id"), c_lesson=F("lesson_id"), c_number=F("pk"),
            c_text=F("value"), c_kind=F("kind_id"), c_note=F("comment"),
            c_weight=F("kind__weight"), c_at=F("created_at"),
        )
    )  # fmt: skip
    absences = Absence.objects.filter(where, student_id__in=ids)
    parts.append(
        _part(
            absences, ABSENCE, c_sid=F("student_id"), c_lesson=F("lesson_id"),
            c_number=F("minutes_late"), c_text=F("code__code"), c_kind=F("code_id"),
            c_note=F("code__reason"), c_at=F("created_at"),
        )
    )  # fmt: skip
    return _collect(parts[0].union(*parts[1:], all=True))


def _collect(rows: Any) -> CellsRead:
    found = CellsRead()
    for tag, sid, lesson_id, number, text, kind, note, weight, at, start, end in rows:
        if tag == PERIOD:
            if found.period is None or start < found.period.start:
                found.period = Period(pk=number, start=start, end=end, closed_at=at)
                found.is_teacher, found.substitute_id = bool(kind), sid
        elif tag == STUDENT:
            found.students.add(sid)
            if number:
                found.enrolled.add(sid)
        elif tag == KIND:
            found.kinds[number] = weight
        elif tag == CODE:
            found.codes.setdefault(text, AbsenceCode(pk=number, code=text, reason=note))
        else:
            found.rows.append((sid, lesson_id, number, text, kind, note, weight, at))
    return found
