"""What a client asks to change in one cell of the journal (one student in one lesson): typed
values the cells service takes instead of loose dicts with "leave unchanged" sentinels."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MarkChange:
    """A mark to add (no `id`) or to change (with the mark's `id`)."""

    value: str
    kind: int | None
    comment: str = ""
    id: int | None = None


@dataclass(frozen=True)
class AbsenceChange:
    """An absence by the school's code; `minutes` late only for a lateness code («оп»)."""

    code: str
    minutes: int | None = None


@dataclass(frozen=True)
class CellChange:
    """One student's cell: marks to add or change, marks to delete, and the absence — set to
    `absence`, cleared (`clear_absence`), or, with neither, left as it is."""

    student: int
    marks: tuple[MarkChange, ...] = ()
    delete_marks: tuple[int, ...] = ()
    absence: AbsenceChange | None = None
    clear_absence: bool = False

    def __post_init__(self) -> None:
        if self.absence is not None and self.clear_absence:
            raise ValueError("A cell change either sets or clears the absence, not both.")

    @property
    def enters_something(self) -> bool:
        """Whether the change enters a mark or an absence (which needs a held lesson and an
        enrolled student); deleting and clearing do not."""
        return bool(self.marks) or self.absence is not None


@dataclass(frozen=True)
class CellsSaved:
    """A saved batch as the grid patches itself with it: the batch's cells (the grid's cell
    JSON keyed "<lesson>:<student>") and, per changed student id, the row's summary
    (`average`, `weighted_average`, `absences`) over the lesson's period."""

    cells: dict[str, dict]
    students: dict[str, dict]
