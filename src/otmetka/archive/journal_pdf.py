"""The class journal of a year as the paper journal would be printed (R1, R5): per course the
lessons (date, topic, homework, the teacher, substitutions marked), the marks and absences grid
paged by month, the period and year marks; numbered sheets and signature lines at the end.

Memory is bounded by one course: the file is written course by course (`selectors.course_pages`
reads one course at a time), never the whole school at once."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

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
NAME_W = 50.0
GRID_COLUMNS = 26
# No bold face is bundled: headings are shaded instead.
HEADINGS = FontFace(emphasis="", fill_color=(230, 230, 230))


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


def _lessons(pdf: JournalPdf, page: CoursePages) -> None:
    pdf.set_font("DejaVu", size=8)
    widths = (10, 20, 105, 85, 57)
    heads = ("№", _("Date"), _("Topic"), _("Homework"), _("Teacher"))
    with pdf.table(col_widths=widths, line_height=4, headings_style=HEADINGS) as table:
        table.row(heads)
        for number, lesson in enumerate(page.lessons, start=1):
            teacher = page.teachers
            if lesson.substitute:
                teacher = _("Substitution: %(name)s") % {"name": lesson.substitute}
            table.row(
                (
                    str(number),
                    lesson.date.strftime("%d.%m.%Y"),
                    lesson.topic,
                    lesson.homework,
                    teacher,
                )
            )


def _grid_header(pdf: JournalPdf, label: str, days: list[str], width: float) -> None:
    pdf.set_font("DejaVu", size=7)
    pdf.cell(NAME_W, ROW, label, border=1)
    for day in days:
        pdf.cell(width, ROW, day, border=1, align="C")
    pdf.ln(ROW)


def _grid(pdf: JournalPdf, page: CoursePages) -> None:
    """The marks and absences, one table per month (split past GRID_COLUMNS lessons)."""
    width = (pdf.epw - NAME_W) / GRID_COLUMNS
    for (year, month), lessons in page.months():
        for start in range(0, len(lessons), GRID_COLUMNS):
            chunk = lessons[start : start + GRID_COLUMNS]
            pdf.ln(2)
            if pdf.will_page_break(ROW * (len(page.students) + 2)):
                pdf.add_page()
            pdf.set_font("DejaVu", size=9)
            pdf.cell(
                0, ROW, f"{page.title}: {MONTHS[month - 1]} {year}", new_x="LMARGIN", new_y="NEXT"
            )
            _grid_header(pdf, _("Student"), [f"{x.date:%d}" for x in chunk], width)
            for number, (sid, name) in enumerate(page.students, start=1):
                pdf.cell(NAME_W, ROW, f"{number}. {name}"[:34], border=1)
                for lesson in chunk:
                    pdf.cell(width, ROW, page.cell(lesson.id, sid), border=1, align="C")
                pdf.ln(ROW)


def _period_marks(pdf: JournalPdf, page: CoursePages) -> None:
    if not page.period_names:
        return
    width = min(30.0, (pdf.epw - NAME_W) / len(page.period_names))
    pdf.ln(2)
    if pdf.will_page_break(ROW * (len(page.students) + 2)):
        pdf.add_page()
    pdf.set_font("DejaVu", size=9)
    heading = _("%(course)s: period and year marks") % {"course": page.title}
    pdf.cell(0, ROW, heading, new_x="LMARGIN", new_y="NEXT")
    _grid_header(pdf, _("Student"), page.period_names, width)
    for number, (sid, name) in enumerate(page.students, start=1):
        pdf.cell(NAME_W, ROW, f"{number}. {name}"[:34], border=1)
        for value in page.period_marks.get(sid, [""] * len(page.period_names)):
            pdf.cell(width, ROW, value, border=1, align="C")
        pdf.ln(ROW)


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
