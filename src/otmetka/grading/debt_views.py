"""Pages of academic debts and conditional transfers: the two reports (page, print, XLSX),
a debt's card with its retakes and illness periods, the year check, and a family's view."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from otmetka.access import debts as access
from otmetka.access.http import SchoolRequest
from otmetka.core.input import ID_MAX, CleanTextForm
from otmetka.grading import debts
from otmetka.grading.models import AcademicDebt

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RetakeForm(CleanTextForm):
    date = forms.DateField(label=gettext_lazy("date"), widget=DATE)
    result = forms.CharField(label=gettext_lazy("result"), max_length=8)
    commission = forms.CharField(
        label=gettext_lazy("commission (for the second retake)"), max_length=300, required=False
    )


class PauseForm(CleanTextForm):
    start = forms.DateField(label=gettext_lazy("from"), widget=DATE)
    end = forms.DateField(label=gettext_lazy("to"), widget=DATE)
    basis = forms.CharField(label=gettext_lazy("basis"), max_length=200)


class TransferForm(CleanTextForm):
    student = forms.TypedChoiceField(label=gettext_lazy("student"), coerce=int)
    order_number = forms.CharField(label=gettext_lazy("order number"), max_length=40)
    order_date = forms.DateField(label=gettext_lazy("order date"), widget=DATE)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = choices  # type: ignore[attr-defined]


def _filters(request: SchoolRequest) -> tuple[Any, int | None, list[Any]]:
    """(year, class id, the year's classes) of the query; 404 for unknown ones."""
    try:
        year = debts.year_for(request.school, request.GET.get("year"))
    except LookupError:
        raise Http404 from None
    if year is None:
        raise Http404
    classes = debts.classes_of(request.school, year)
    asked = request.GET.get("class", "")
    class_id = None
    if asked:
        if not asked.isdigit() or int(asked) not in {c.pk for c in classes}:
            raise Http404
        class_id = int(asked)
    return year, class_id, classes


def _xlsx(
    sheet: str, title: str, header: list[str], rows: list[list[Any]], name: str
) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A3"
    for letter, width in zip("ABCDEFGH", (5, 28, 8, 22, 10, 12, 12, 40), strict=False):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _debt_context(request: SchoolRequest) -> dict[str, Any]:
    if not access.reads_debt_list(request.user, request.school):
        raise Http404
    year, class_id, classes = _filters(request)
    only_open = request.GET.get("open") == "1"
    rows = debts.debt_rows(
        user=request.user, school=request.school, year=year, class_id=class_id, only_open=only_open
    )
    return {
        "year": year,
        "years": debts.years_of(request.school),
        "classes": classes,
        "class_id": class_id,
        "only_open": only_open,
        "rows": rows,
        "can_write": access.writes_debts(request.user, request.school),
    }


@login_required
@require_GET
def debt_list(request: SchoolRequest) -> HttpResponse:
    """«Академические задолженности»: the year's debts, by class, printable (A4)."""
    return render(request, "grading/debts.html", _debt_context(request))


def _retakes_text(row: debts.DebtRow) -> str:
    return "; ".join(
        f"{r.number}) {r.date:%d.%m.%Y} «{r.result}»"
        + (f" ({r.commission})" if r.commission else "")
        for r in row.retakes
    )


@login_required
@require_GET
def debt_xlsx(request: SchoolRequest) -> HttpResponse:
    """The debts report as an XLSX workbook."""
    data = _debt_context(request)
    header = [
        "№",
        _("Student"),
        _("Class"),
        _("Subject"),
        _("Year mark"),
        _("Arose on"),
        _("Deadline"),
        _("Retakes"),
        _("Status"),
        _("Conditional transfer"),
    ]
    rows = [
        [
            i,
            r.student,
            r.school_class,
            r.subject,
            r.debt.value,
            r.debt.arose_on,
            r.deadline,
            _retakes_text(r),
            r.debt.get_status_display(),
            f"№ {r.transferred.order_number} {r.transferred.order_date:%d.%m.%Y}"
            if r.transferred
            else "",
        ]
        for i, r in enumerate(data["rows"], start=1)
    ]
    title = _("Academic debts %(year)s") % {"year": data["year"].name}
    return _xlsx(_("Academic debts"), title, header, rows, f"debts-{data['year'].pk}.xlsx")


@login_required
@require_POST
def debt_check(request: SchoolRequest) -> HttpResponse:
    """Open the debts the year's failing year marks call for (deputy, administrator)."""
    access.debts_write_require(request.user, request.school)
    year, _class_id, _classes = _filters(request)
    count = debts.debts_check_year(actor=request.user, school=request.school, year=year)
    messages.success(
        request, _("Year marks checked: %(count)s debts opened or changed.") % {"count": count}
    )
    return redirect(f"/grading/debts/?year={year.pk}")


def _debt(request: SchoolRequest, debt_id: int) -> AcademicDebt:
    if debt_id > ID_MAX:
        raise Http404
    try:
        return (
            access.visible_debts(request.user, request.school)
            .select_related("student", "course__subject", "year")
            .get(pk=debt_id)
        )
    except AcademicDebt.DoesNotExist:
        raise Http404 from None


def _card(
    request: SchoolRequest, debt: AcademicDebt, status: int = 200, **extra: Any
) -> HttpResponse:
    pauses = debts.pauses_of([debt.student_id]).get(debt.student_id, [])
    context = {
        "debt": debt,
        "retakes": list(debt.retakes.order_by("number")),
        "deadline": debts.deadline(debt.arose_on, pauses),
        "pauses": sorted(pauses),
        "can_write": access.writes_debts(request.user, request.school),
        "retake_form": extra.pop("retake_form", None) or RetakeForm(),
        "pause_form": extra.pop("pause_form", None) or PauseForm(),
        **extra,
    }
    return render(request, "grading/debt.html", context, status=status)


@login_required
@require_GET
def debt_card(request: SchoolRequest, debt_id: int) -> HttpResponse:
    """One debt: its retakes, the window to clear it and the recorded illness."""
    return _card(request, _debt(request, debt_id))


def _record(
    request: SchoolRequest, debt_id: int, form_class: type[CleanTextForm], key: str, done: str
) -> HttpResponse:
    """Check and write one form of a debt's card (a retake, an illness): back to the card
    with `done`, or the card again (400) with the Russian refusal at the form."""
    debt = _debt(request, debt_id)
    access.debts_write_require(request.user, request.school)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            if key == "retake_form":
                debts.retake_record(actor=request.user, school=request.school, debt_id=debt.pk,
                                    **form.cleaned_data)  # fmt: skip
            else:
                debts.pause_record(actor=request.user, school=request.school,
                                   student_id=debt.student_id, **form.cleaned_data)  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("grading:debt", debt_id=debt.pk)
    return _card(request, debt, 400, **{key: form})


@login_required
@require_POST
def retake_add(request: SchoolRequest, debt_id: int) -> HttpResponse:
    """Record a retake of the debt (deputy, administrator)."""
    return _record(request, debt_id, RetakeForm, "retake_form", _("The retake is recorded."))


@login_required
@require_POST
def pause_add(request: SchoolRequest, debt_id: int) -> HttpResponse:
    """Record an illness of the debt's student (extends the window)."""
    return _record(request, debt_id, PauseForm, "pause_form", _("The illness period is recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def transfers(request: SchoolRequest) -> HttpResponse:
    """«Условно переведённые»: the year's conditional transfers; the deputy records one."""
    if not access.reads_school_debts(request.user, request.school):
        raise Http404
    year, class_id, classes = _filters(request)
    can_write = access.writes_debts(request.user, request.school)
    form = None
    if can_write:
        form = TransferForm(
            request.POST or None, choices=debts.transfer_choices(request.school, year)
        )
    if request.method == "POST":
        access.debts_write_require(request.user, request.school)
        assert form is not None
        if form.is_valid():
            try:
                debts.transfer_record(
                    actor=request.user,
                    school=request.school,
                    year=year,
                    student_id=form.cleaned_data["student"],
                    order_number=form.cleaned_data["order_number"],
                    order_date=form.cleaned_data["order_date"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The conditional transfer is recorded."))
                return redirect(f"{request.path}?year={year.pk}")
    rows = debts.transfer_rows(school=request.school, year=year, class_id=class_id)
    context = {
        "year": year,
        "years": debts.years_of(request.school),
        "classes": classes,
        "class_id": class_id,
        "rows": rows,
        "form": form,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "grading/transfers.html", context, status=status)


@login_required
@require_GET
def transfers_xlsx(request: SchoolRequest) -> HttpResponse:
    """The conditional transfers report as an XLSX workbook."""
    if not access.reads_school_debts(request.user, request.school):
        raise Http404
    year, class_id, _classes = _filters(request)
    rows = debts.transfer_rows(school=request.school, year=year, class_id=class_id)
    header = ["№", _("Student"), _("Class"), _("Order number"), _("Order date"), _("Open debts")]
    cells = [
        [
            i,
            r["student"],
            r["school_class"],
            r["transfer"].order_number,
            r["transfer"].order_date,
            ", ".join(r["subjects"]),
        ]
        for i, r in enumerate(rows, start=1)
    ]
    title = _("Conditionally transferred %(year)s") % {"year": year.name}
    return _xlsx(_("Conditionally transferred"), title, header, cells, f"transfers-{year.pk}.xlsx")


@login_required
@require_GET
def student_debts(request: SchoolRequest, student_id: int) -> HttpResponse:
    """A student's own debts, retakes and transfer (the student, guardians, school readers)."""
    if student_id > ID_MAX:
        raise Http404
    data = debts.student_debts(user=request.user, school=request.school, student_id=student_id)
    return render(request, "grading/student_debts.html", data)
