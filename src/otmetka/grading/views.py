"""The period marks page of a course and the school's marking policy page."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otmetka.access import grading as access
from otmetka.access.http import SchoolRequest
from otmetka.core.input import ID_MAX
from otmetka.grading import selectors, services
from otmetka.grading.column import student_cell
from otmetka.grading.exports import XLSX_TYPE, mastery_workbook
from otmetka.grading.forms import PolicyForm, display_rows, parse_entries
from otmetka.journal.selectors import course_periods


def _period(course: Any, asked: str | None) -> tuple[Any, bool]:
    """(period, is_year) from the query; 404 for a period that is not the course's."""
    if asked == "year":
        return None, True
    try:
        return selectors.period_for(course, asked), False
    except LookupError:
        raise Http404 from None


def _page(request: SchoolRequest, course: Any, period: Any, is_year: bool, **extra: Any) -> Any:
    """Render the page (status 400 when it shows a refusal)."""
    page = selectors.period_marks_page(user=request.user, course=course, period=period)
    errors = extra.pop("errors", {})
    context = {
        "course": course, "period": period, "is_year": is_year,
        "periods": course_periods(course), **page,
        "shown": display_rows(page["rows"], extra.pop("posted", {}), errors), **extra,
    }  # fmt: skip
    status = 400 if errors or extra.get("error") else 200
    return render(request, "grading/period_marks.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def period_marks(request: SchoolRequest, course_id: int) -> HttpResponse:
    """The period (or year) marks of one course: suggestions beside the entered values."""
    if request.school is None or course_id > ID_MAX:
        raise Http404
    course = access.period_marks_course(request.user, request.school, course_id)
    period, is_year = _period(course, request.GET.get("period"))
    if period is None and not is_year:
        raise Http404
    if request.method == "GET":
        return _page(request, course, period, is_year)
    try:
        entries = parse_entries(request.POST)
        count = services.period_marks_save(
            actor=request.user, course=course, period=period, entries=entries,
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except services.PeriodMarksError as exc:
        return _page(request, course, period, is_year, errors=exc.errors, posted=entries)
    except (ValidationError, ValueError) as exc:
        msg = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        return _page(request, course, period, is_year, error=msg)
    text = ngettext("Saved: %(count)s change.", "Saved: %(count)s changes.", count)
    messages.success(request, text % {"count": count})
    return redirect(f"{request.path}?period={'year' if is_year else period.pk}")


def _grade(request: SchoolRequest) -> int | None:
    """The grade of the query (?grade=7), None for the school; 404 for anything else."""
    asked = request.GET.get("grade", "")
    if not asked:
        return None
    if not asked.isdigit() or not 1 <= int(asked) <= 11:
        raise Http404
    return int(asked)


@login_required
@require_http_methods(["GET", "POST"])
def policy(request: SchoolRequest) -> HttpResponse:
    """The school's marking policy, or a grade's (?grade=N), for the deputy."""
    access.policy_require(request.user, request.school, write=request.method == "POST")
    grade = _grade(request)
    current = selectors.policy_for(school=request.school, grade=grade)
    form = PolicyForm(request.POST or None, school=request.school, policy=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_save(
                actor=request.user, school=request.school, grade=grade, data=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The marking policy is saved."))
            return redirect(request.get_full_path())
    context = {"form": form, "grade": grade, "current": current, "grades": range(1, 12),
               "own": selectors.school_policies(school=request.school)}  # fmt: skip
    return render(request, "grading/policy.html", context, status=400 if form.errors else 200)


def _json_fail(message: str, status: int = 400, **extra: Any) -> JsonResponse:
    return JsonResponse({"ok": False, "detail": message, **extra}, status=status)


def _grid_entry(body: Any) -> tuple[Any, int, dict[str, Any], str]:
    """(period id, student id, entry, reason) of the grid's JSON, or ValueError."""
    if not isinstance(body, dict):
        raise ValueError
    student = body.get("student")
    if not isinstance(student, int) or isinstance(student, bool) or not 1 <= student <= ID_MAX:
        raise ValueError
    period = body.get("period")
    if not isinstance(period, int) or isinstance(period, bool) or not 1 <= period <= ID_MAX:
        raise ValueError
    texts = {k: body.get(k, "") for k in ("value", "na_reason", "basis", "reason")}
    if not all(isinstance(v, str) for v in texts.values()):
        raise ValueError
    reason = texts.pop("reason")
    return period, student, texts, reason


@login_required
@require_POST
def grid_save(request: SchoolRequest, course_id: int) -> HttpResponse:
    """One period mark typed in the journal grid (JSON); the answer is the student's cell of
    the period column, which the grid patches in place."""
    if request.school is None or course_id > ID_MAX:
        raise Http404
    course = access.period_marks_course(request.user, request.school, course_id)
    try:
        period_id, student, entry, reason = _grid_entry(json.loads(request.body or b"null"))
        period = selectors.period_for(course, period_id)
    except (ValueError, UnicodeDecodeError):
        return _json_fail(_("The request is malformed: nothing is saved."))
    except LookupError:
        raise Http404 from None
    assert period is not None
    try:
        services.period_marks_save(
            actor=request.user, course=course, period=period, entries={student: entry},
            reason=reason,
        )  # fmt: skip
    except services.PeriodMarksError as exc:
        return _json_fail(exc.errors.get(student, exc.messages[0]))
    except ValidationError as exc:
        return _json_fail(exc.messages[0])
    except PermissionDenied:
        return _json_fail(_("You may not change this period mark."), status=403)
    return JsonResponse({"ok": True, "cell": student_cell(course, period, student)})


def _mastery_page(request: SchoolRequest, course: Any, period: Any, **extra: Any) -> Any:
    sheet = selectors.mastery_sheet(user=request.user, course=course, period=period)
    posted = extra.pop("posted", {})
    for row in sheet["rows"]:
        row["value"] = posted.get(row["id"], row["value"])
    context = {
        "course": course, "period": period, "periods": course_periods(course), **sheet, **extra,
    }  # fmt: skip
    status = 400 if extra.get("errors") or extra.get("error") else 200
    return render(request, "grading/mastery.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mastery(request: SchoolRequest, course_id: int) -> HttpResponse:
    """The mastery sheet (ведомость освоения) of an extracurricular or additional-education
    course in a period: the teacher fills it, the deputy prints it (A4) or downloads XLSX."""
    if request.school is None or course_id > ID_MAX:
        raise Http404
    course = selectors.mastery_course(request.user, request.school, course_id)
    period = selectors.course_period(course, request.GET.get("period"))
    if request.method == "GET":
        return _mastery_page(request, course, period)
    posted: dict[int, str] = {}
    try:
        if request.POST.get("action") == "scale":
            services.mastery_scale_save(
                actor=request.user, course=course, kind=request.POST.get("kind", ""),
                levels=request.POST.get("levels", ""),
            )  # fmt: skip
            messages.success(request, _("The scale of the sheet is saved."))
            return redirect(f"{request.path}?period={period.pk}")
        posted = {sid: e["value"] for sid, e in parse_entries(request.POST).items()}
        count = services.mastery_save(
            actor=request.user, course=course, period=period, entries=posted,
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except services.PeriodMarksError as exc:
        return _mastery_page(request, course, period, errors=exc.errors, posted=posted)
    except (ValidationError, ValueError) as exc:
        msg = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        return _mastery_page(request, course, period, error=msg, posted=posted)
    text = ngettext("Saved: %(count)s change.", "Saved: %(count)s changes.", count)
    messages.success(request, text % {"count": count})
    return redirect(f"{request.path}?period={period.pk}")


@login_required
@require_GET
def mastery_xlsx(request: SchoolRequest, course_id: int) -> HttpResponse:
    """The mastery sheet as XLSX."""
    if request.school is None or course_id > ID_MAX:
        raise Http404
    course = selectors.mastery_course(request.user, request.school, course_id)
    period = selectors.course_period(course, request.GET.get("period"))
    sheet = selectors.mastery_sheet(user=request.user, course=course, period=period)
    body = mastery_workbook(course, period, sheet)
    response = HttpResponse(body, content_type=XLSX_TYPE)
    name = f"mastery-{course.pk}-{period.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
