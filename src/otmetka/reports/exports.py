"""The summary gradesheet as files people keep: XLSX (openpyxl) and PDF (fpdf2 with the bundled
DejaVu Sans, so Cyrillic prints without system packages), A4 landscape like the paper form."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from otmetka.reports.selectors import BUCKETS, Sheet

FONT = Path(__file__).parent / "static" / "reports" / "fonts" / "DejaVuSans.ttf"
RED = "F8D0D0"
AMBER = "FFF0C0"


def sheet_title(sheet: Sheet, period_name: str) -> str:
    """«Сводная ведомость 7А, 1 четверть 2026/2027»."""
    return _("Summary gradesheet %(class)s, %(period)s") % {
        "class": sheet.school_class, "period": period_name,
    }  # fmt: skip


def _header(sheet: Sheet) -> list[str]:
    return ["№", _("Student"), *sheet.subjects, *(f"«{b}»" for b in BUCKETS), _("Absences")]


def _xlsx_sheet(ws: Any, sheet: Sheet, title: str, *, averages: bool) -> None:
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(_header(sheet))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for line in sheet.lines:
        values: list[Any] = [line.number, line.name]
        for c in line.cells:
            values.append((c.average if averages else c.mark) if c else None)
        ws.append([*values, *(line.counts[b] for b in BUCKETS), line.absences])
        for index, c in enumerate(line.cells, start=3):
            if c is not None and (c.failing or (c.differs and not averages)):
                color = RED if c.failing else AMBER
                ws.cell(ws.max_row, index).fill = PatternFill("solid", fgColor=color)
    if not averages:
        for label, key in ((_("Quality, %"), "quality"), (_("Success, %"), "success")):
            ws.append(["", label, *(t[key] for t in sheet.subject_totals)])
    ws.freeze_panes = "C3"
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 28
    for i in range(3, len(_header(sheet)) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 9
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _safe_name(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", text)[:31]


def gradesheet_xlsx(sheet: Sheet, period_name: str) -> bytes:
    """The workbook: period marks (with the totals) and the current means, Russian names."""
    book = Workbook()
    ws = book.active
    ws.title = _safe_name(f"{sheet.school_class} {period_name}")
    title = sheet_title(sheet, period_name)
    _xlsx_sheet(ws, sheet, title, averages=False)
    totals = sheet.totals
    ws.append([])
    for label, key in _total_rows():
        ws.append(["", label, totals[key]])
    _xlsx_sheet(book.create_sheet(_safe_name(_("Averages"))), sheet, title, averages=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _total_rows() -> list[tuple[str, str]]:
    return [
        (_("Students"), "students"),
        (_("With period marks"), "marked"),
        (_("All «5»"), "all5"),
        (_("«4» and «5»"), "good"),
        (_("One «3»"), "one3"),
        (_("With «2»"), "with2"),
        (_("With «н/а»"), "with_na"),
        (_("Quality, %"), "quality"),
        (_("Success, %"), "success"),
    ]


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("DejaVu", size=7)
        self.cell(0, 5, _("Page %(page)s") % {"page": self.page_no()}, align="R")


def gradesheet_pdf(sheet: Sheet, period_name: str, school_name: str) -> bytes:
    """A4 landscape: the table (subjects numbered, named in the legend), totals, signatures."""
    pdf = _Pdf(orientation="L", format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    title = sheet_title(sheet, period_name)
    pdf.set_title(title)
    pdf.set_author(school_name)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("DejaVu", size=11)
    pdf.cell(0, 6, school_name, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    _pdf_table(pdf, sheet)
    _pdf_legend_and_totals(pdf, sheet)
    return bytes(pdf.output())


def _pdf_table(pdf: FPDF, sheet: Sheet) -> None:
    n = max(len(sheet.subjects), 1)
    width = min(14.0, (pdf.epw - 7 - 48 - 7 * len(BUCKETS) - 12) / n)
    pdf.set_font("DejaVu", size=7)
    row = 5
    heads = [("№", 7), (_("Student"), 48), *((str(i + 1), width) for i in range(n))]
    heads += [*((b, 7.0) for b in BUCKETS), (_("Abs."), 12)]
    for text, w in heads:
        pdf.cell(w, row, text, border=1, align="C")
    pdf.ln(row)
    for line in sheet.lines:
        pdf.cell(7, row, str(line.number), border=1, align="C")
        pdf.cell(48, row, line.name[:32], border=1)
        for c in line.cells:
            fill = c is not None and c.failing
            if fill:
                pdf.set_fill_color(248, 208, 208)
            pdf.cell(width, row, c.mark if c else "×", border=1, align="C", fill=fill)
        for b in BUCKETS:
            pdf.cell(7, row, str(line.counts[b] or ""), border=1, align="C")
        pdf.cell(12, row, str(line.absences or ""), border=1, align="C")
        pdf.ln(row)
    for label, key in ((_("Quality, %"), "quality"), (_("Success, %"), "success")):
        pdf.cell(55, row, label, border=1)
        for total in sheet.subject_totals:
            value = total[key]
            pdf.cell(width, row, "" if value is None else f"{value}".replace(".", ","), border=1,
                     align="C")  # fmt: skip
        pdf.ln(row)


def _pdf_legend_and_totals(pdf: FPDF, sheet: Sheet) -> None:
    pdf.ln(2)
    pdf.set_font("DejaVu", size=7)
    legend = "; ".join(f"{i + 1} — {name}" for i, name in enumerate(sheet.subjects))
    pdf.multi_cell(0, 4, legend, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    totals = "; ".join(
        f"{label}: {'' if sheet.totals[key] is None else sheet.totals[key]}"
        for label, key in _total_rows()
    )
    pdf.multi_cell(0, 4, totals, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", size=9)
    homeroom = sheet.school_class.homeroom_teacher
    name = homeroom.full_name if homeroom else ""
    pdf.cell(0, 6, f"{_('Homeroom teacher')} ______________ {name}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"{_('Deputy director')} ______________", new_x="LMARGIN", new_y="NEXT")
