"""Deputy pages of the curriculum: study plan, courses and load, the timetable grid."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from otmetka.access.rules import CHANGE, can, require, sees_people
from otmetka.core.dates import date_or
from otmetka.core.forms import add_service_error
from otmetka.curriculum import selectors, services
from otmetka.curriculum.forms import (
    CourseForm,
)
from otmetka.curriculum.selectors import current_year_or_404
from otmetka.journal.schedule import lessons_generate
from otmetka.journal.selectors import lessons_to_review


def _year(request: HttpRequest) -> Any:
    return current_year_or_404(school=request.school)


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# --- study plan -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def study_plan(request: HttpRequest) -> HttpResponse:
    require(request.user, request.school, "course")
    year = _year(request)
    grade = min(max(_int(request.GET.get("grade"), 1), 1), 11)
    errors: list[str] = []
    if request.method == "POST":
        require(request.user, request.school, "course", CHANGE)
        try:
            hours = _hours(request.POST)
            services.study_plan_save(
                actor=request.user, school=request.school, year=year, grade=grade, hours=hours
            )
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{reverse('curriculum:plan')}?grade={grade}")
    rows = selectors.study_plan(school=request.school, year=year, grade=grade)
    context = {
        "year": year,
        "grade": grade,
        "grades": range(1, 12),
        "rows": rows,
        "errors": errors,
        "can_change": can(request.user, request.school, "course", CHANGE),
    }
    return render(request, "curriculum/plan.html", context)


def _hours(data: Any) -> dict[int, Decimal | None]:
    """subject-<id> fields → hours (empty → None); a bad number is a ValidationError."""
    hours: dict[int, Decimal | None] = {}
    for key, value in data.items():
        if not key.startswith("subject-"):
            continue
        subject_id = _int(key.removeprefix("subject-"), 0)
        text = value.strip().replace(",", ".")
        try:
            hours[subject_id] = Decimal(text) if text else None
        except InvalidOperation:
            raise ValidationError(_("Hours a week are a number, for example 2 or 1.5.")) from None
    return hours


# --- courses and load -------------------------------------------------------------------------


@login_required
@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
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
def course_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
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
def load_report(request: HttpRequest) -> HttpResponse:
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


# --- timetable --------------------------------------------------------------------------------


@login_required
@require_GET
def timetable_index(request: HttpRequest) -> HttpResponse:
    require(request.user, request.school, "timetable")
    year = _year(request)
    classes = selectors.classes_of(school=request.school, year=year)
    can_change = can(request.user, request.school, "timetable", CHANGE)
    review = lessons_to_review(school=request.school) if can_change else []
    context = {"classes": classes, "year": year, "review": review, "can_change": can_change}
    return render(request, "curriculum/timetable_index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def timetable_grid(request: HttpRequest, class_pk: int) -> HttpResponse:
    require(request.user, request.school, "timetable")
    school_class = selectors.class_of(school=request.school, pk=class_pk)
    today = timezone.localdate()
    on = date_or(request.POST.get("valid_from") or request.GET.get("on"), today)
    courses = selectors.class_courses(school_class=school_class)
    errors: list[str] = []
    if request.method == "POST":
        require(request.user, request.school, "timetable", CHANGE)
        try:
            done = _grid_save(request, school_class, courses, on)
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, done)
            return redirect(
                f"{reverse('curriculum:grid', args=[school_class.pk])}?on={on:%Y-%m-%d}"
            )
    context = {
        "school_class": school_class,
        "on": on,
        "grid": selectors.timetable_grid(school_class=school_class, on=on),
        "courses": courses,
        "errors": errors,
        "posted": request.POST if errors else None,
        "can_change": can(request.user, request.school, "timetable", CHANGE),
    }
    return render(request, "curriculum/grid.html", context)


def _grid_save(request: HttpRequest, school_class: Any, courses: list, on: datetime.date) -> str:
    """Parse the cells, save the week and, when asked, regenerate lessons; a message back."""
    by_pk = {c.pk: c for c in courses}
    cells: dict[tuple[int, int], tuple[Any, str]] = {}
    for key, value in request.POST.items():
        parts = key.split("-")
        if len(parts) != 3 or parts[0] != "course":
            continue
        weekday, bell_id = _int(parts[1], -1), _int(parts[2], -1)
        course = by_pk.get(_int(value, 0)) if value else None
        if value and course is None:
            raise ValidationError(
                _("Choose a course of the class %(cls)s.") % {"cls": school_class}
            )
        room = request.POST.get(f"room-{weekday}-{bell_id}", "")
        cells[(weekday, bell_id)] = (course, room)
    changed = services.timetable_class_save(
        actor=request.user,
        school=request.school,
        school_class=school_class,
        cells=cells,
        valid_from=on,
    )
    message = _("Timetable saved: %(n)s changed cells.") % {"n": changed}
    if request.POST.get("regenerate"):
        result = lessons_generate(
            actor=request.user, school=request.school, start=on, end=school_class.year.end
        )
        message += " " + _(
            "Lessons: %(created)s created, %(removed)s removed, %(flagged)s need review."
        ) % {"created": result.created, "removed": result.removed, "flagged": result.flagged}
    return message
