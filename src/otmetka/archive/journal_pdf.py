"""The class journal of a year as the paper journal would be printed (R1, R5): per course the
lessons (date, topic, homework, the teacher, substitutions marked), the marks and absences grid
paged by month, the period and year marks; numbered sheets and signature lines at the end.

Memory is bounded by one course: the file is written course by course (`selectors.course_pages`
reads one course at a time), never the whole school at once."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF

from otmetka.archive.selectors import CoursePages
from otmetka.reports.exports import FONT

MONTHS = (
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
)
ROW = 5.0
LINE = 3.2  # mm, a line of 7 pt text
CHAR_MM = 1.55  # a safe width of a DejaVu Sans character at 7 pt (capitals are wider)
NAME_W = 50.0
GRID_COLUMNS = 26


class JournalPdf(FPDF):
    """A4 landscape with the sheet number in the footer."""

    def __init__(self, *, compress: bool = True) -> None:
        super().__init__(orientation="L", format="A4")
        self.add_font("DejaVu", "", str(FONT))
        self.set_compression(compress)
        self.set_auto_page_break(auto=True, margin=12)
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("DejaVu", size=7)
        self.cell(0, 5, _("Sheet %(page)s of {nb}") % {"page": self.page_no()}, align="R")


def _title_page(pdf: JournalPdf, school: str, title: str, courses: list[str]) -> None:
    pdf.add_page()
    pdf.set_font("DejaVu", size=16)
    pdf.ln(30)
    pdf.multi_cell(0, 9, school, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(0, 9, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("DejaVu", size=10)
    for number, name in enumerate(courses, start=1):
        pdf.cell(0, 6, f"{number}. {name}", new_x="LMARGIN", new_y="NEXT")


def _wrap(text: str, width: float) -> list[str]:
    """Lines of `text` for a column `width` mm wide (by a safe character width: fpdf2's own
    wrapping measured every glyph and took most of the time of a school's archive)."""
    chars = max(int(width / CHAR_MM), 4)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(paragraph, chars, break_long_words=True) or [""]
    return lines


class Table:
    """A bordered table drawn with `text` and `rect` (no per-cell layout), paged by hand: the
    header is repeated on each new page."""

    def __init__(self, pdf: JournalPdf, widths: list[float], header: list[str]) -> None:
        self.pdf, self.widths, self.header = pdf, widths, header
        self._row([[h] for h in header], centred=True)

    def _row(self, cells: list[list[str]], *, centred: bool) -> None:
        pdf = self.pdf
        height = max(len(lines) for lines in cells) * LINE + 1
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
            pdf.set_font("DejaVu", size=7)
            self._row([[h] for h in self.header], centred=True)
        x, y = pdf.l_margin, pdf.get_y()
        for index, (width, lines) in enumerate(zip(self.widths, cells, strict=True)):
            pdf.rect(x, y, width, height)
            for n, line in enumerate(lines):
                middle = centred and index > 0
                shift = max((width - len(line) * CHAR_MM) / 2, 0.8) if middle else 0.8
                if line:
                    pdf.text(x + shift, y + LINE * (n + 1) - 0.6, line)
            x += width
        pdf.set_y(y + height)

    def row(self, texts: list[str], *, wrap: bool = False, centred: bool = False) -> None:
        """One row; `wrap` breaks long texts into lines (else one line each)."""
        if wrap:
            cells = [_wrap(t, w - 1.6) for t, w in zip(texts, self.widths, strict=True)]
        else:
            cells = [[t] for t in texts]
        self._row(cells, centred=centred)


def _lessons(pdf: JournalPdf, page: CoursePages) -> None:
    pdf.set_font("DejaVu", size=7)
    heads = ["№", _("Date"), _("Topic"), _("Homework"), _("Teacher")]
    table = Table(pdf, [10, 18, 110, 85, 54], heads)
    for number, lesson in enumerate(page.lessons, start=1):
        teacher = page.teachers
        if lesson.substitute:
            teacher = _("Substitution: %(name)s") % {"name": lesson.substitute}
        when = lesson.date.strftime("%d.%m.%Y")
        table.row([str(number), when, lesson.topic, lesson.homework, teacher], wrap=True)


def _heading(pdf: JournalPdf, text: str, rows: int) -> None:
    pdf.ln(2)
    if pdf.get_y() + LINE * min(rows + 3, 12) > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font("DejaVu", size=9)
    pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=7)


def _grid(pdf: JournalPdf, page: CoursePages) -> None:
    """The marks and absences, one table per month (split past GRID_COLUMNS lessons)."""
    width = (pdf.epw - NAME_W) / GRID_COLUMNS
    for (year, month), lessons in page.months():
        for start in range(0, len(lessons), GRID_COLUMNS):
            chunk = lessons[start : start + GRID_COLUMNS]
            _heading(pdf, f"{page.title}: {MONTHS[month - 1]} {year}", len(page.students))
            days = [f"{x.date:%d}" for x in chunk]
            table = Table(pdf, [NAME_W] + [width] * len(chunk), [_("Student"), *days])
            for number, (sid, name) in enumerate(page.students, start=1):
                cells = [page.cell(lesson.id, sid) for lesson in chunk]
                table.row([f"{number}. {name}"[:34], *cells], centred=True)


def _period_marks(pdf: JournalPdf, page: CoursePages) -> None:
    if not page.period_names:
        return
    width = min(30.0, (pdf.epw - NAME_W) / len(page.period_names))
    heading = _("%(course)s: period and year marks") % {"course": page.title}
    _heading(pdf, heading, len(page.students))
    table = Table(
        pdf, [NAME_W] + [width] * len(page.period_names), [_("Student"), *page.period_names]
    )
    blank = [""] * len(page.period_names)
    for number, (sid, name) in enumerate(page.students, start=1):
        table.row([f"{number}. {name}"[:34], *page.period_marks.get(sid, blank)], centred=True)


def _signatures(pdf: JournalPdf, homeroom: str) -> None:
    pdf.add_page()
    pdf.set_font("DejaVu", size=11)
    pdf.ln(20)
    lines = (
        _("Director") + " ______________________",
        _("Homeroom teacher") + f" ______________________ {homeroom}",
        "",
        _("Laced, numbered and sealed: {nb} sheets."),
    )
    for text in lines:
        pdf.cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")


def journal_pdf(
    path: Path,
    *,
    school: str,
    title: str,
    homeroom: str,
    course_names: list[str],
    pages: Iterable[CoursePages],
    compress: bool = True,
) -> None:
    """Write the class journal to `path`, one course section after another."""
    pdf = JournalPdf(compress=compress)
    pdf.set_title(title)
    pdf.set_author(school)
    _title_page(pdf, school, title, course_names)
    for page in pages:
        pdf.add_page()
        pdf.set_font("DejaVu", size=12)
        pdf.multi_cell(0, 7, page.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=9)
        teacher = _("Teacher: %(names)s") % {"names": page.teachers}
        pdf.cell(0, 5, teacher, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        _lessons(pdf, page)
        _grid(pdf, page)
        _period_marks(pdf, page)
    _signatures(pdf, homeroom)
    pdf.output(str(path))
