"""The director's archive page (make, download), closing the year, and the individual student
record (page, PDF, JSON)."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otmetka.access import archive as access
from otmetka.access.http import SchoolRequest
from otmetka.archive import closing, exports, selectors, services
from otmetka.core.input import ID_MAX, int_or, text_problem
from otmetka.school.models import AcademicYear


def _year(request: SchoolRequest) -> AcademicYear:
    """The school's year named by the form's or query's `year` (404 otherwise)."""
    raw = request.POST.get("year") or request.GET.get("year") or ""
    year_id = int_or(raw, 0) if raw.isdigit() and len(raw) < 20 else 0
    year = selectors.school_years(school=request.school).filter(pk=year_id).first()
    if year is None or year_id > ID_MAX:
        raise Http404
    return year


@login_required
@require_GET
def index(request: SchoolRequest) -> HttpResponse:
    """The school's archives with their retention, and the director's button."""
    access.archive_read_require(request.user, request.school)
    archives = list(selectors.school_archives(school=request.school))
    context = {
        "archives": archives,
        "working": any(a.state in ("queued", "building") for a in archives),
        "years": selectors.school_years(school=request.school),
        "makes": access.makes_archives(request.user, request.school),
        "retention": services.RETENTION_YEARS,
    }
    return render(request, "archive/index.html", context)


@login_required
@require_POST
def make(request: SchoolRequest) -> HttpResponse:
    """Queue the chosen year's archive for the background worker (the director)."""
    access.archive_make_require(request.user, request.school)
    year = _year(request)
    try:
        services.archive_enqueue(actor=request.user, year=year)
    except ValueError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _(
                "The archive of %(year)s is queued: it is built in the background,"
                " the list shows its progress."
            )
            % {"year": year},
        )
    return redirect("archive:index")


@login_required
@require_GET
def download(request: SchoolRequest, archive_id: int) -> FileResponse:
    """The archive's .zip."""
    archive = access.archive_get(request.user, request.school, archive_id)
    if archive.state != archive.State.READY or not archive.path:
        raise Http404
    path = Path(archive.path).with_suffix(".zip")
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@login_required
@require_http_methods(["GET", "POST"])
def close_year(request: SchoolRequest) -> HttpResponse:
    """What closing the year would change (GET ?year=), and closing it (POST; the director)."""
    access.archive_make_require(request.user, request.school)
    if "year" not in request.GET and request.method == "GET":
        years = selectors.school_years(school=request.school)
        return render(request, "archive/close_year.html", {"years": years})
    year = _year(request)
    if request.method == "POST":
        closing.year_close(actor=request.user, year=year)
        messages.success(request, _("The year %(year)s is closed.") % {"year": year.name})
        return redirect("archive:index")
    plan = closing.year_close_plan(year=year)
    return render(request, "archive/close_year.html", {"year": year, "lines": plan.lines()})


@login_required
@require_GET
def records(request: SchoolRequest) -> HttpResponse:
    """Students whose personal record the user reads, found by last name."""
    if not access.reads_any_record(request.user, request.school):
        raise Http404
    query = request.GET.get("q", "")[:100]
    problem = text_problem(query)
    if problem:
        return HttpResponseBadRequest(problem)
    readable = access.record_students(request.user, request.school)
    rows = selectors.record_students(students=readable, query=query)
    return render(request, "archive/records.html", {"students": rows, "q": query})


def _record(request: SchoolRequest, student_id: int) -> selectors.Record:
    if student_id > ID_MAX:
        raise Http404
    student = access.record_student(request.user, request.school, student_id)
    return selectors.student_record(student=student)


@login_required
@require_GET
def record(request: SchoolRequest, student_id: int) -> HttpResponse:
    """Личная карточка — успеваемость: every period and year mark across years."""
    data = _record(request, student_id)
    return render(
        request, "archive/record.html", {"record": data, "title": exports.record_title(data)}
    )


def _attachment(content: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def record_pdf(request: SchoolRequest, student_id: int) -> HttpResponse:
    """The record as a PDF."""
    content = exports.record_pdf(_record(request, student_id))
    return _attachment(content, "application/pdf", f"record-{student_id}.pdf")


@login_required
@require_GET
def record_json(request: SchoolRequest, student_id: int) -> HttpResponse:
    """The record as JSON (on the student's departure)."""
    content = exports.record_json(_record(request, student_id))
    return _attachment(content, "application/json", f"record-{student_id}.json")
