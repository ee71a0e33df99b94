"""Schemas of API v1: inputs checked at the edge (texts storable on every database, ids in the
64-bit range, lengths of the model's columns) and the bodies of the error answers."""

import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from ninja import Schema
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)

from otmetka.audit.models import Event
from otmetka.core.input import ID_MAX, text_check
from otmetka.journal.models import AbsenceCode, Lesson, Mark
from otmetka.journal.validation import api_message, made_at_clean, too_long_message

Id = Annotated[int, Field(ge=1, le=ID_MAX)]


def text(max_length: int, field: str) -> Any:
    """A text of at most `max_length` characters (the model's column), refused with the field's
    Russian message (`too_long_message`); OpenAPI shows the limit."""

    def check(value: str) -> str:
        if len(value) > max_length:
            raise ValueError(too_long_message(field))
        return value

    limit = Field(json_schema_extra={"maxLength": max_length})
    return Annotated[str, AfterValidator(check), limit]


def _column(model: type, name: str) -> int:
    return model._meta.get_field(name).max_length  # type: ignore[attr-defined]


MarkValue = text(_column(Mark, "value"), "mark")
Comment = text(_column(Mark, "comment"), "comment")
Code = text(_column(AbsenceCode, "code"), "code")
Topic = text(_column(Lesson, "topic"), "topic")
Reason = text(_column(Event, "reason"), "reason")


def _made_at(value: object) -> datetime.datetime:
    try:
        return made_at_clean(value)
    except ValidationError as exc:  # pydantic reports a ValueError's text
        raise ValueError(exc.messages[0]) from None


# When an entry was made on a device without a connection (sent by the offline queue only).
MadeAt = Annotated[
    datetime.datetime,
    BeforeValidator(_made_at),
    Field(description="ISO 8601 with a time zone: when the entry was made offline."),
]


class InputSchema(BaseModel):
    """The base of every input schema: a JSON object, no text anywhere in it holds NUL or a lone
    surrogate. A pydantic model, not ninja's Schema: that one reads attributes of anything (a
    string sent for an object became an empty one) through a wrapper made around every object
    of the body (a tenth of a mark save's body check)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        if not isinstance(value, dict | cls):
            raise ValueError(api_message("object_expected"))
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        return text_check(value)


class MarkIn(InputSchema):
    """A mark to add (no id) or to change (with id)."""

    id: Id | None = None
    value: MarkValue = ""  # type: ignore[valid-type]
    kind: Id | None = None
    comment: Comment = ""  # type: ignore[valid-type]


class AbsenceIn(InputSchema):
    """An absence code with the minutes late for «оп»."""

    code: Code = ""  # type: ignore[valid-type]
    minutes: Annotated[int, Field(ge=0, le=1440)] | None = None


class CellChangeIn(InputSchema):
    """The change of one student's cell; `absence` null clears it, omitted leaves it alone."""

    student: Id
    marks: list[MarkIn] = []
    absence: AbsenceIn | None = None
    delete_marks: list[Id] = []


class CellsIn(InputSchema):
    """A batch of cells of one lesson, saved all or nothing."""

    changes: list[CellChangeIn]
    reason: Reason = ""  # type: ignore[valid-type]
    made_at: MadeAt | None = None


class LessonPatchIn(InputSchema):
    """Fields of a lesson to change; omitted ones stay as they are."""

    topic: Topic | None = None  # type: ignore[valid-type]
    homework: str | None = None
    planned_topic: Annotated[int, Field(ge=0, le=ID_MAX)] | None = None
    # The homework's minutes (R38 load), 0..240 (journal.services checks); null clears them.
    homework_minutes: Annotated[int, Field(strict=True)] | None = None
    all_present: bool = False
    reason: Reason = ""  # type: ignore[valid-type]
    made_at: MadeAt | None = None


class ErrorOut(Schema):
    """An error answer: the Russian message, and for a malformed request where it went wrong."""

    detail: str
    errors: list[dict[str, Any]] = []


class MarkOut(Schema):
    """A mark in a cell: its id, value, kind of work (id) and comment."""

    id: int
    value: str
    kind: int
    comment: str


class AbsenceOut(Schema):
    """A cell's absence: the school's code and the minutes late (lateness only)."""

    code: str
    minutes: int | None


class CellOut(Schema):
    """One cell of the grid (a student in a lesson): its marks, oldest first, and absence."""

    marks: list[MarkOut]
    absence: AbsenceOut | None


class RowSummaryOut(Schema):
    """A student's row summary in the lesson's period, as the grid shows it: the simple and the
    weighted average (two places, half up; null without point marks) and the absences count
    (lateness not counted)."""

    average: str | None
    weighted_average: str | None
    absences: int


class CellsOut(Schema):
    """A saved batch of cells, what the grid patches in place: the batch's cells as the
    database now holds them (keyed "<lesson>:<student>") and each changed student's row
    summary (keyed by student id)."""

    ok: bool
    errors: dict[str, str]
    cells: dict[str, CellOut]
    students: dict[str, RowSummaryOut]


class CellsErrorOut(Schema):
    """A refused batch of cells: a Russian message per student id, and the cells as they are
    (nothing was written)."""

    ok: bool
    errors: dict[str, str]
    cells: dict[str, CellOut]


READ_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut,  # malformed or refused input (the Russian `detail`)
    401: ErrorOut,  # not logged in
    403: ErrorOut,  # readable but not writable, or no CSRF token
    404: ErrorOut,  # missing or not yours
    409: ErrorOut,  # the first request with this Idempotency-Key still runs
    422: ErrorOut,  # the Idempotency-Key was used for another request
}

IDEMPOTENT: dict[str, Any] = {  # the header every write accepts (see api/services.py)
    "parameters": [
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "description": "A client-made key (e.g. a UUID) kept for the retries of one change: "
            "a repeat gets the first answer and writes nothing. Kept for 24 hours.",
            "schema": {"type": "string", "pattern": "^[!-~]{1,100}$"},
        }
    ]
}
