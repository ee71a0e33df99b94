"""The mastery sheet as a file people keep: XLSX (openpyxl), A4 portrait, frozen header."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def mastery_title(course: Any, period: Any) -> str:
    """«Ведомость освоения: Робототехника — 7А, 2 четверть 2026/2027»."""
    return _("Mastery sheet: %(course)s, %(period)s") % {"course": course, "period": period}


def mastery_workbook(course: Any, period: Any, sheet: dict[str, Any]) -> bytes:
    """The sheet's XLSX: a title, the scale, one row per student, the teachers' signature line."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = _("Mastery sheet")[:31]
    ws.append([mastery_title(course, period)])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([_("Scale: %(values)s") % {"values": ", ".join(sheet["values"])}])
    ws.append(["№", _("Student"), _("Result")])
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in sheet["rows"]:
        ws.append([row["number"], row["name"], row["value"]])
    ws.append([])
    names = ", ".join(t.full_name for t in sheet["teachers"])
    ws.append(["", _("Teacher: %(names)s") % {"names": names}, _("Signature")])
    ws.freeze_panes = "A4"
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 14
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
