"""The individual student record (личная карточка — успеваемость, R11) as PDF and JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from django.utils.translation import gettext as _

from otmetka.archive.journal_pdf import JournalPdf, Table
from otmetka.archive.selectors import Record, year_mark_label


def record_title(record: Record) -> str:
    """«Личная карточка — успеваемость: Иванов Иван Иванович»."""
    return _("Personal record — results: %(name)s") % {"name": record.student.full_name}


def record_pdf(record: Record, *, compress: bool = True) -> bytes:
    """A4: the student, the enrolments, a table per year (subjects × periods and the year)."""
    pdf = JournalPdf(compress=compress)
    pdf.set_title(record_title(record))
    _record_pages(pdf, record)
    return bytes(pdf.output())


def records_pdf(records: Iterable[Record], path: Path, *, title: str) -> None:
    """Several records in one file, each from a new page (a class's cards in the archive: one
    file is much cheaper than a file per student, which loads the font every time)."""
    pdf = JournalPdf()
    pdf.set_title(title)
    for record in records:
        _record_pages(pdf, record)
    pdf.output(str(path))


def _record_pages(pdf: JournalPdf, record: Record) -> None:
    title = record_title(record)
    pdf.add_page()
    pdf.set_font("DejaVu", size=12)
    pdf.multi_cell(0, 7, record.school, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=9)
    birth = record.student.birth_date
    if birth:
        born = _("Date of birth") + f": {birth:%d.%m.%Y}"
        pdf.cell(0, 5, born, new_x="LMARGIN", new_y="NEXT")
    for e in record.enrollments:
        text = f"{e['year']} {e['class']}: {e['from']} — {e['to'] or '…'} {e['order']}"
        pdf.cell(0, 5, text.strip(), new_x="LMARGIN", new_y="NEXT")
    for year in record.years:
        pdf.ln(3)
        pdf.set_font("DejaVu", size=10)
        label = f"{year.name} ({', '.join(year.classes)})" if year.classes else year.name
        pdf.cell(0, 6, label, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=7)
        heads = [_("Subject"), *year.periods, year_mark_label()]
        table = Table(pdf, [70.0] + [20.0] * (len(heads) - 1), heads)
        for subject, marks in year.rows:
            table.row([subject, *marks], wrap=True, centred=True)


def record_json(record: Record) -> bytes:
    """The record as UTF-8 JSON (Russian kept readable)."""
    return json.dumps(record.as_json(), ensure_ascii=False, indent=1).encode()
