"""The monitoring as files: the deputy's XLSX (one sheet per table) and the schedule of
оценочные процедуры as CSV for the school's website (R37)."""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from otmetka.reports.monitoring import Row


def metric_header() -> list[str]:
    """The columns of every metrics table (page and XLSX alike)."""
    return [
        _("Teachers making entries, %"),
        _("Lessons held"),
        _("With topic, %"),
        _("With attendance, %"),
        _("With homework, %"),
        _("Written works with marks, %"),
        _("On time / late / missing"),
        _("КТП hours planned"),
        _("Lag, lessons"),
        _("Assessment procedures"),
        _("Limit (10 %)"),
    ]


def metric_values(row: Row) -> list[Any]:
    """A row's figures in the order of `metric_header` (None: nothing to divide by)."""
    c = row.counts
    return [
        row.active_pct,
        c.held,
        c.topic_pct,
        c.attendance_pct,
        c.homework_pct,
        c.written_pct,
        timely_text(row),
        c.planned if c.has_plan else None,
        c.lag,
        c.procedures,
        c.procedure_limit,
    ]


def timely_text(row: Row) -> str | None:
    """«92 / 5 / 3»: percent of the entries due made on time / late / still missing (the
    deadline engine's rollups); None when nothing was due."""
    shares = [p for p in row.timely_pct() if p is not None]
    if len(shares) < 3:
        return None
    return " / ".join(str(p.quantize(Decimal(1), ROUND_HALF_UP)) for p in shares)


def _bold_row(ws: Any) -> None:
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


def _table(ws: Any, title: str, first: str, rows: list[Row]) -> None:
    ws.append([title])
    ws.append([first, *metric_header()])
    _bold_row(ws)
    for row in rows:
        ws.append([row.name, *metric_values(row)])
    ws.column_dimensions["A"].width = 40


def monitoring_xlsx(data: dict[str, Any], label: str) -> bytes:
    """The workbook: the school and its tables per teacher, class, subject and journal, the
    weekly trend, the homework load and the diary's use."""
    book = Workbook()
    ws = book.active
    ws.title = _("School")
    ws.append([_("Monitoring of journal keeping, %(range)s") % {"range": label}])
    _bold_row(ws)
    _table(ws, _("School"), "", data["rows"]["school"])
    for kind, title, first in (
        ("teacher", _("Teachers"), _("Teacher")),
        ("class", _("Classes"), _("Class")),
        ("subject", _("Subjects"), _("Subject")),
        ("course", _("Journals"), _("Journal")),
    ):
        _table(book.create_sheet(title), title, first, data["rows"][kind])
    trend = book.create_sheet(_("By week"))
    trend.append(
        [
            _("Week from"),
            _("Lessons held"),
            _("With topic, %"),
            _("With attendance, %"),
            _("With homework, %"),
        ]
    )
    _bold_row(trend)
    for w in data["trend"]:
        c = w["counts"]
        trend.append([w["week"], c.held, c.topic_pct, c.attendance_pct, c.homework_pct])
    load = book.create_sheet(_("Homework load"))
    load.append(
        [
            _("Class"),
            _("Limit, min"),
            _("Days with minutes"),
            _("Heaviest day, min"),
            _("Days over the limit"),
        ]
    )
    _bold_row(load)
    for h in data["homework"]:
        load.append([h["name"], h["limit"], h["days"], h["max"], len(h["over"])])
    usage = book.create_sheet(_("Diary use"))
    usage.append(
        [
            _("Class"),
            _("Students with an account"),
            _("Logged in, %"),
            _("Guardians"),
            _("Logged in, %"),
        ]
    )
    _bold_row(usage)
    for name, u in data["usage_rows"]:
        usage.append([name, u.students, u.students_pct, u.guardians, u.guardians_pct])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: str) -> str:
    """A text a spreadsheet will not take for a formula (a topic is typed by a teacher)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def procedures_csv(schedule: list[dict[str, Any]]) -> bytes:
    """The schedule of оценочные процедуры (date, class, subject, kind of work, topic), CSV in
    UTF-8 with a BOM so that spreadsheet programs read the Cyrillic."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Date"), _("Class"), _("Subject"), _("Kind of work"), _("Topic")])
    for r in schedule:
        texts = (r["class"], r["subject"], r["kind"], r["topic"])
        writer.writerow([r["date"].strftime("%d.%m.%Y"), *(_cell(str(t or "")) for t in texts)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
