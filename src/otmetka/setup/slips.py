"""Credential slips as a PDF (fpdf2): A4, 8 slips a page (2 × 4) with dashed cut lines; each
has the school's name, whose slip it is, the site's address with its QR code (segno), the login
and the one-time password. Logins, passwords and the address are set in Courier, so they read
the same on paper as typed (no look-alike glyphs) and stay plain text in the file."""

import io
from collections.abc import Sequence
from typing import Any

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


def _wrap(pdf: FPDF, text: str, width: float, lines: int) -> list[str]:
    """`text` in at most `lines` lines of `width` (mm) in the current font, by words; the last
    line is cut with «…». (fpdf2's multi_cell costs ~13 ms a call: too slow for 2,700 slips.)"""
    out: list[str] = []
    for word in text.split():
        if out and pdf.get_string_width(f"{out[-1]} {word}") <= width:
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1 :])]
    if out and pdf.get_string_width(out[-1]) > width:
        while out[-1] and pdf.get_string_width(out[-1] + "…") > width:
            out[-1] = out[-1][:-1]
        out[-1] += "…"
    return out


def _lines(pdf: FPDF, x: float, y: float, lines: list[str], step: float) -> float:
    for line in lines:
        y += step
        pdf.text(x, y, line)
    return y


def _slip(pdf: FPDF, slip: Slip, x: float, y: float, fixed: dict[str, Any]) -> None:
    text_w = SLIP_W - 2 * PAD - QR_SIZE - 3
    pdf.image(fixed["qr"], x=x + SLIP_W - PAD - QR_SIZE, y=y + PAD, w=QR_SIZE, h=QR_SIZE)
    pdf.set_font("DejaVu", size=8)
    top = _lines(pdf, x + PAD, y + PAD, fixed["school"], 3.6)
    pdf.set_font("DejaVu", size=11)
    top = _lines(pdf, x + PAD, top + 1.5, _wrap(pdf, slip.user.full_name, text_w, 2), 5)
    pdf.set_font("DejaVu", size=8)
    _lines(pdf, x + PAD, top + 0.5, _wrap(pdf, slip.note, text_w, 2), 3.6)
    top = y + PAD + QR_SIZE + 3
    for label, value, size in (
        (fixed["address_label"], fixed["address"], 9),
        (fixed["login_label"], slip.user.username, 12),
        (fixed["password_label"], slip.password, 12),
    ):
        top += 7
        pdf.set_font("DejaVu", size=8)
        pdf.text(x + PAD, top, f"{label}:")
        pdf.set_font("Courier", style="B", size=size)
        pdf.text(x + PAD + 20, top, value)
    pdf.set_font("DejaVu", size=7)
    _lines(pdf, x + PAD, top + 1.5, fixed["hint"], 3.3)


def slips_pdf(slips: Sequence[Slip], *, school: str, address: str) -> bytes:
    """The slips as an A4 PDF, 8 to a page, in the given order."""
    qr = io.BytesIO()
    segno.make(address, error="m").save(qr, kind="png", scale=8, border=1)
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_title(_("Login slips"))
    pdf.set_font("DejaVu", size=8)
    fixed: dict[str, Any] = {
        "qr": qr,
        "school": _wrap(pdf, school, SLIP_W - 2 * PAD - QR_SIZE - 3, 3),
        "address": address,
        "address_label": _("Address"),
        "login_label": _("Login"),
        "password_label": _("Password"),
    }
    pdf.set_font("DejaVu", size=7)
    hint = _("At the first login the system asks to choose a new password.")
    fixed["hint"] = _wrap(pdf, hint, SLIP_W - 2 * PAD, 2)
    per_page = COLS * ROWS
    for index, slip in enumerate(slips):
        if index % per_page == 0:
            pdf.add_page()
            _cut_lines(pdf)
        place = index % per_page
        x, y = (place % COLS) * SLIP_W, (place // COLS) * SLIP_H
        _slip(pdf, slip, x, y, fixed)
    return bytes(pdf.output())
