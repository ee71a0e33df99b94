"""The homeroom teacher's class summary as an XLSX workbook (openpyxl): a frozen header, column
widths, a Russian sheet name, flagged cells filled, rows in the page's order."""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

RISK_FILL = PatternFill("solid", fgColor="F8D0D0")  # ≥ 30 % of the subject's lessons missed
LOW_FILL = PatternFill("solid", fgColor="FFF0C0")  # a mean below 3


def _sheet_name(text: str) -> str:
    """Excel's sheet names: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", text)[:31]


def summary_xlsx(data: dict[str, Any]) -> bytes:
    """The summary (`classes.class_summary`'s result) as a workbook: one row a student with the
    subjects' averages (the period mark instead when set), the mean, absences and absences by
    code."""
    school_class, period = data["school_class"], data["period"]
    book = Workbook()
    ws = book.active
    ws.title = _sheet_name(_("Summary %(class)s") % {"class": school_class})
    subjects = [
        f"{c.subject.short_name or c.subject.name}{f' ({c.name})' if c.name else ''}"
        for c in data["courses"]
    ]
    header = ["№", _("Student"), *subjects, _("Mean"), _("Lessons missed"), *data["codes"]]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for number, row in enumerate(data["rows"], start=1):
        values: list[Any] = [number, row["student"].full_name]
        for x in row["cells"]:
            value = x["period_mark"] or x["average"]
            values.append(float(value) if value and _number(value) else value)
        values += [float(row["mean"]) if row["mean"] is not None else None, row["absences"]]
        ws.append([*values, *row["code_counts"]])
        for index, x in enumerate(row["cells"], start=3):
            fill = RISK_FILL if x["risk"] else LOW_FILL if x["low"] else None
            if fill is not None:
                ws.cell(ws.max_row, index).fill = fill
    ws.freeze_panes = "C2"
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 32
    for i in range(3, len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 10
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if period is not None:
        ws.oddHeader.center.text = f"{school_class}, {period.name}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
