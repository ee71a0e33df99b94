"""КТП import: reading an XLSX or CSV file row by row within its caps, finding the columns by
their headers, and a Russian report of every bad row."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from otmetka.core.tables import (
    NotATable,
    RowError,
    TableLimits,
    TableTooLarge,
    blank,
    cell_date,
    norm_header,
    read_table,
)
from otmetka.curriculum.models import Course

MAX_FILE_SIZE = 2 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
# A course has at most ~210 lessons a year (6 a week × 35 weeks); 1000 topics leave room for
# hour-by-hour plans and joined years while a page of them still renders in a blink. A file is
# read row by row and only up to these caps, whatever size its sheet declares.
TOPICS_MAX = 1000
ROWS_MAX = TOPICS_MAX + HEADER_SEARCH_ROWS
COLUMNS_MAX = 30
UNPACKED_MAX = 8 * 1024 * 1024  # an XLSX unpacked (a real КТП: < 1 MB; bombs refused unopened)
_SHIFT = 1_000_000  # positions are moved out of the way before renumbering (unique constraint)

# Column → the header names teachers write (compared case- and spacing-insensitively).
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("№", "№ п/п", "n", "номер", "№ урока", "номер урока", "no"),
    "title": ("тема урока", "тема", "темы уроков", "тема занятия"),
    "hours": ("кол-во часов", "количество часов", "часы", "часов", "кол. часов", "кол-во ч"),
    "date": ("дата", "дата проведения", "дата по плану", "планируемая дата", "дата (план)"),
    "kind": ("вид работы", "контроль", "примечание", "вид контроля", "формы контроля"),
}
CONTROL_WORDS = ("контрол", "к/р", "проверочн", "диктант", "зачёт", "зачет", "тест", "экзамен")


def _column_label(key: str) -> str:
    return {
        "number": "№",
        "title": _("Lesson topic"),
        "hours": _("Hours"),
        "date": _("Date"),
        "kind": _("Work kind"),
        "file": _("File"),
    }[key]


# --- import ---------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """The outcome of an import: how many topics were written and the problems found."""

    topics: int = 0
    replaced: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class PlanImportError(ValidationError):
    """A refused import; `report.errors` lists every bad row."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(
            [
                f"{_('Row')} {e.row}, {e.column}: {e.message}" if e.row else e.message
                for e in report.errors
            ]
        )


@dataclass
class _Row:
    row: int
    title: str
    hours: int
    planned_date: datetime.date | None
    work_kind: str


_SYNONYMS = {norm_header(name): key for key, names in HEADERS.items() for name in names}


def _header_map(cells: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _SYNONYMS.get(norm_header(cell))
        if key and key not in found:
            found[key] = index
    return found


def _too_many_rows() -> str:
    return _("The table has more than %(rows)s rows: a plan holds at most %(topics)s topics.") % {
        "rows": ROWS_MAX,
        "topics": TOPICS_MAX,
    }


LIMITS = TableLimits(
    max_bytes=MAX_FILE_SIZE,
    rows_max=ROWS_MAX,
    columns_max=COLUMNS_MAX,
    unpacked_max=UNPACKED_MAX,
    too_many_rows=_too_many_rows,
)


def _has_header(rows: list[list[Any]]) -> bool:
    return any("title" in _header_map(r) for r in rows[:HEADER_SEARCH_ROWS])


def _file_rows(uploaded_file: Any, report: ImportReport) -> list[list[Any]] | None:
    """The file's rows as lists of cells, or None with a file-level error in the report."""
    try:
        return read_table(uploaded_file, LIMITS, _has_header)
    except (TableTooLarge, NotATable) as error:
        report.errors.append(RowError(0, _column_label("file"), str(error)))
        return None


def _cell(cells: list[Any], columns: dict[str, int], key: str) -> Any:
    index = columns.get(key)
    if index is None or index >= len(cells):
        return None
    value = cells[index]
    return value.strip() if isinstance(value, str) else value


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal) and value == int(value):
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\d+([.,]0+)?", value):
        return int(re.split(r"[.,]", value)[0])
    return None


def _parse_row(
    index: int, cells: list[Any], columns: dict[str, int], course: Course, report: ImportReport
) -> tuple[_Row | None, int | None]:
    bad = len(report.errors)
    number = None
    if "number" in columns and _cell(cells, columns, "number") not in (None, ""):
        number = _whole(_cell(cells, columns, "number"))
        if number is None or number < 1:
            report.errors.append(
                RowError(index, "№", _("The number is not a positive whole number."))
            )
    title = str(_cell(cells, columns, "title") or "").strip()
    if not title:
        report.errors.append(
            RowError(index, _column_label("title"), _("The lesson topic is empty."))
        )
    elif len(title) > 500:
        report.errors.append(
            RowError(index, _column_label("title"), _("The topic is longer than 500 characters."))
        )
    raw_hours = _cell(cells, columns, "hours") if "hours" in columns else 1
    hours = _whole(raw_hours) if raw_hours not in (None, "") else None
    if hours is None or not 1 <= hours <= 100:
        report.errors.append(
            RowError(index, _column_label("hours"), _("The hours are not a positive whole number."))
        )
    raw_date = _cell(cells, columns, "date")
    planned = None
    if raw_date not in (None, ""):
        planned = cell_date(raw_date)
        if planned is None:
            report.errors.append(
                RowError(index, _column_label("date"), _("Not a date: write DD.MM.YYYY."))
            )
        elif not course.year.start <= planned <= course.year.end:
            report.errors.append(
                RowError(
                    index,
                    _column_label("date"),
                    _("The date %(date)s is outside the academic year %(year)s.")
                    % {"date": planned.strftime("%d.%m.%Y"), "year": course.year.name},
                )
            )
    kind = str(_cell(cells, columns, "kind") or "").strip()[:100]
    if len(report.errors) > bad:
        return None, number
    return _Row(index, title, hours or 1, planned, kind), number


def _parse(uploaded_file: Any, course: Course, report: ImportReport) -> list[_Row]:
    rows = _file_rows(uploaded_file, report)
    if rows is None:
        return []
    start, columns = None, {}
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = _header_map(cells)
        if "title" in columns:
            start = i
            break
    if start is None:
        report.errors.append(
            RowError(
                0,
                _column_label("file"),
                _(
                    "No header row found: the table needs the columns "
                    "«№», «Тема урока», «Кол-во часов»."
                ),
            )
        )
        return []
    parsed: list[_Row] = []
    numbers: dict[int, int] = {}
    for offset, cells in enumerate(rows[start + 1 :], start=start + 2):
        if blank(list(cells)):
            continue
        row, number = _parse_row(offset, list(cells), columns, course, report)
        if number is not None and number >= 1:
            if number in numbers:
                report.errors.append(
                    RowError(
                        offset,
                        "№",
                        _("The number %(number)s repeats the one of row %(row)s.")
                        % {"number": number, "row": numbers[number]},
                    )
                )
                row = None
            else:
                numbers[number] = offset
        if row is not None:
            parsed.append(row)
    if not parsed and not report.errors:
        report.errors.append(
            RowError(0, _column_label("file"), _("The table has no topics under its header."))
        )
    if len(parsed) > TOPICS_MAX:
        report.errors.append(RowError(0, _column_label("file"), _too_many_topics()))
    return parsed


def _too_many_topics() -> str:
    return _("A plan holds at most %(topics)s topics.") % {"topics": TOPICS_MAX}
