"""Deputy pages of the curriculum: study plan, courses and load (the timetable pages, which
regenerate lessons, are journal's `timetable_views`)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from otmetka.access.http import SchoolRequest
from otmetka.access.rules import CHANGE, can, require, sees_people
from otmetka.core.forms import add_service_error
from otmetka.core.input import int_or
from otmetka.curriculum import selectors, services
from otmetka.curriculum.forms import CourseForm
from otmetka.curriculum.selectors import current_year_or_404


def _year(request: SchoolRequest) -> Any:
    return current_year_or_404(school=request.school)


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


# --- study plan -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def study_plan(request: SchoolRequest) -> HttpResponse:
    if request.school is None:
        raise Http404
    require(request.user, request.school, "course")
    year = _year(request)
    grade = min(max(int_or(request.GET.get("grade"), 1), 1), 11)
    errors: list[str] = []
    rows = selectors.study_plan(school=request.school, year=year, grade=grade)
    if request.method == "POST":
        require(request.user, request.school, "course", CHANGE)
        try:
            hours = _hours(request.POST, rows)
            services.study_plan_save(
                actor=request.user, school=request.school, year=year, grade=grade, hours=hours
            )
        except ValidationError as error:
            errors = _errors(error)
            # What was typed stays in the form, the wrong value included, to be corrected.
            for row in rows:
                row["typed"] = request.POST.get(f"subject-{row['subject'].pk}")
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{reverse('curriculum:plan')}?grade={grade}")
    context = {
        "year": year,
        "grade": grade,
        "grades": range(1, 12),
        "rows": rows,
        "errors": errors,
        "can_change": can(request.user, request.school, "course", CHANGE),
    }
    return render(request, "curriculum/plan.html", context)


def _hours(data: Any, rows: list[dict[str, Any]]) -> dict[int, Decimal | None]:
    """subject-<id> fields → hours (empty → None); bad numbers are one ValidationError that
    names each row («Математика»: …)."""
    names = {row["subject"].pk: row["subject"].name for row in rows}
    hours: dict[int, Decimal | None] = {}
    problems: list[str] = []
    for key, value in data.items():
        if not key.startswith("subject-"):
            continue
        subject_id = int_or(key.removeprefix("subject-"), 0)
        text = value.strip().replace(",", ".")
        named = {"subject": names.get(subject_id, "?"), "value": value.strip()[:20]}
        try:
            number = Decimal(text) if text else None
        except InvalidOperation:
            number = None
            problems.append(
                _("«%(subject)s»: «%(value)s» is not a number of hours (for example 2 or 1.5).")
                % named
            )
        if number is not None and not (number.is_finite() and 0 <= number <= 40):
            problems.append(_("«%(subject)s»: hours a week are from 0 to 40.") % named)
        hours[subject_id] = number
    if problems:
        raise ValidationError(problems)
    return hours


# --- courses and load -------------------------------------------------------------------------


@login_required
@require_GET
def course_list(request: SchoolRequest) -> HttpResponse:
    if request.school is None:
        raise Http404
    require(request.user, request.school, "course")
    year = _year(request)
    context = {
        "year": year,
        "courses": selectors.course_rows(school=request.school, year=year),
        "can_change": can(request.user, request.school, "course", CHANGE),
    }
    return render(request, "curriculum/courses.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request: SchoolRequest, pk: int | None = None) -> HttpResponse:
    if request.school is None:
        raise Http404
    require(request.user, request.school, "course")
    course = None
    if pk is not None:
        course = selectors.course_for_edit(school=request.school, pk=pk)
        if course is None:
            raise Http404
    require(request.user, request.school, "course", CHANGE)
    year = course.year if course else _year(request)
    form = CourseForm(
        request.POST or None, school=request.school, user=request.user, instance=course, year=year
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "year": year}
        data["teachers"], data["members"] = list(data["teachers"]), list(data["members"])
        try:
            if course is None:
                services.course_create(actor=request.user, school=request.school, **data)
            else:
                services.course_update(
                    actor=request.user, school=request.school, course=course, **data
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("curriculum:courses")
    return render(request, "curriculum/course_edit.html", {"form": form, "course": course})


@login_required
@require_GET
def load_report(request: SchoolRequest) -> HttpResponse:
    if request.school is None:
        raise Http404
    require(request.user, request.school, "course")
    year = _year(request)
    context = {
        "year": year,
        # A region viewer sees the load per class and subject only, not who teaches it.
        "teachers": selectors.load_by_teacher(school=request.school, year=year)
        if sees_people(request.user, request.school)
        else [],
        "classes": selectors.load_by_class(school=request.school, year=year),
    }
    return render(request, "curriculum/load.html", context)
