"""Credential slips as a PDF (fpdf2): A4, 8 slips a page (2 × 4) with dashed cut lines; each
has the school's name, whose slip it is, the site's address with its QR code (segno), the login
and the one-time password. Logins, passwords and the address are set in Courier, so they read
the same on paper as typed (no look-alike glyphs) and stay plain text in the file."""

import io
from collections.abc import Sequence

import segno
from django.utils.translation import gettext as _
from fpdf import FPDF

from otmetka.people.credentials import Slip
from otmetka.reports.exports import FONT

PAGE_W, PAGE_H = 210.0, 297.0
COLS, ROWS = 2, 4
SLIP_W, SLIP_H = PAGE_W / COLS, PAGE_H / ROWS
PAD = 7.0
QR_SIZE = 24.0


def _cut_lines(pdf: FPDF) -> None:
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.2)
    with pdf.local_context():
        pdf.set_dash_pattern(dash=2, gap=2)
        for col in range(1, COLS):
            pdf.line(col * SLIP_W, 0, col * SLIP_W, PAGE_H)
        for row in range(1, ROWS):
            pdf.line(0, row * SLIP_H, PAGE_W, row * SLIP_H)


def _slip(pdf: FPDF, slip: Slip, x: float, y: float, school: str, address: str, qr: bytes) -> None:
    text_w = SLIP_W - 2 * PAD - QR_SIZE - 3
    pdf.image(io.BytesIO(qr), x=x + SLIP_W - PAD - QR_SIZE, y=y + PAD, w=QR_SIZE, h=QR_SIZE)
    pdf.set_xy(x + PAD, y + PAD)
    pdf.set_font("DejaVu", size=8)
    pdf.multi_cell(text_w, 4, school, new_x="LEFT", new_y="NEXT", max_line_height=4)
    pdf.set_font("DejaVu", size=11)
    pdf.multi_cell(text_w, 5.5, slip.user.full_name, new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", size=8)
    pdf.multi_cell(text_w, 4, slip.note, new_x="LEFT", new_y="NEXT")
    pdf.set_xy(x + PAD, y + PAD + QR_SIZE + 3)
    for label, value, size in (
        (_("Address"), address, 9),
        (_("Login"), slip.user.username, 12),
        (_("Password"), slip.password, 12),
    ):
        pdf.set_font("DejaVu", size=8)
        pdf.cell(20, 6, f"{label}:")
        pdf.set_font("Courier", style="B", size=size)
        pdf.cell(SLIP_W - 2 * PAD - 20, 6, value, new_x="LEFT", new_y="NEXT")
        pdf.set_x(x + PAD)
    pdf.set_font("DejaVu", size=7)
    pdf.multi_cell(
        SLIP_W - 2 * PAD, 3.5, _("At the first login the system asks to choose a new password.")
    )


def slips_pdf(slips: Sequence[Slip], *, school: str, address: str) -> bytes:
    """The slips as an A4 PDF, 8 to a page, in the given order."""
    qr = io.BytesIO()
    segno.make(address, error="m").save(qr, kind="png", scale=8, border=1)
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_title(_("Login slips"))
    per_page = COLS * ROWS
    for index, slip in enumerate(slips):
        if index % per_page == 0:
            pdf.add_page()
            _cut_lines(pdf)
        place = index % per_page
        x, y = (place % COLS) * SLIP_W, (place // COLS) * SLIP_H
        _slip(pdf, slip, x, y, school, address, qr.getvalue())
    return bytes(pdf.output())
