"""The summary gradesheet pages and their XLSX and PDF downloads (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from otmetka.access import reports as access
from otmetka.access.http import SchoolRequest
from otmetka.core.input import ID_MAX
from otmetka.reports import exports, selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _label(data: dict[str, Any], school_class: Any) -> str:
    """«1 четверть 2026/2027» or «год 2026/2027»."""
    if data["is_year"]:
        return _("year %(year)s") % {"year": school_class.year.name}
    return f"{data['period'].name} {data['period'].year.name}"


def _class_sheet(request: SchoolRequest, class_id: int) -> tuple[Any, dict[str, Any]]:
    """The class (access-checked) and its sheet for the asked period; 404 otherwise."""
    if request.school is None or class_id > ID_MAX:
        raise Http404
    school_class = access.gradesheet_class(request.user, request.school, class_id)
    try:
        data = selectors.class_sheet(school_class=school_class, asked=request.GET.get("period"))
    except LookupError:
        raise Http404 from None
    return school_class, data


@login_required
@require_GET
def index(request: SchoolRequest) -> HttpResponse:
    """The classes whose gradesheet the user reads."""
    classes = selectors.readable_classes(user=request.user, school=request.school)
    if not classes:
        raise Http404
    context = {
        "classes": classes,
        "whole": access.reads_school_sheets(request.user, request.school),
    }
    return render(request, "reports/index.html", context)


@login_required
@require_GET
def gradesheet(request: SchoolRequest, class_id: int) -> HttpResponse:
    """The summary gradesheet of a class, printable (A4 landscape)."""
    school_class, data = _class_sheet(request, class_id)
    context = {**data, "school_class": school_class, "label": _label(data, school_class)}
    return render(request, "reports/gradesheet.html", context)


def _download(content: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def gradesheet_xlsx(request: SchoolRequest, class_id: int) -> HttpResponse:
    """The class's gradesheet as an XLSX workbook."""
    school_class, data = _class_sheet(request, class_id)
    content = exports.gradesheet_xlsx(data["sheet"], _label(data, school_class))
    return _download(content, XLSX, f"gradesheet-{school_class.pk}.xlsx")


@login_required
@require_GET
def gradesheet_pdf(request: SchoolRequest, class_id: int) -> HttpResponse:
    """The class's gradesheet as a PDF, A4 landscape, with signature lines."""
    if request.school is None:
        raise Http404
    school_class, data = _class_sheet(request, class_id)
    label = _label(data, school_class)
    content = exports.gradesheet_pdf(data["sheet"], label, request.school.name)
    return _download(content, "application/pdf", f"gradesheet-{school_class.pk}.pdf")


@login_required
@require_GET
def school_gradesheet(request: SchoolRequest) -> HttpResponse:
    """Every class's sheet by parallel, with the school's totals (deputy, director, admin)."""
    access.gradesheet_school_require(request.user, request.school)
    try:
        data = selectors.school_sheets(school=request.school, asked=request.GET.get("period"))
    except LookupError:
        raise Http404 from None
    return render(request, "reports/school.html", data)
