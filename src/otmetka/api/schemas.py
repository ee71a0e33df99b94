"""Input schemas of API v1 (outputs are the selectors' JSON-ready dicts)."""

from typing import Any

from ninja import Schema


class MarkIn(Schema):
    """A mark to add (no id) or to change (with id)."""

    id: int | None = None
    value: str = ""
    kind: int | None = None
    comment: str = ""


class AbsenceIn(Schema):
    """An absence code with the minutes late for «оп»."""

    code: str = ""
    minutes: int | None = None


class CellChangeIn(Schema):
    """The change of one student's cell; `absence` null clears it, omitted leaves it alone."""

    student: int
    marks: list[MarkIn] = []
    absence: Any = "__keep__"
    delete_marks: list[int] = []


class CellsIn(Schema):
    """A batch of cells of one lesson, saved all or nothing."""

    changes: list[CellChangeIn]
    reason: str = ""


class LessonPatchIn(Schema):
    """Fields of a lesson to change; omitted ones stay as they are."""

    topic: str | None = None
    homework: str | None = None
    planned_topic: int | None = None
    all_present: bool = False
    reason: str = ""
