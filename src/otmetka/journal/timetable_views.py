"""The deputy's timetable pages: the classes, and one class's week of slots, saved with the
lessons regenerated on request (curriculum keeps the slots; journal owns the lessons)."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from otmetka.access.http import SchoolRequest
from otmetka.access.rules import CHANGE, can, require
from otmetka.core.dates import date_or
from otmetka.core.input import int_or
from otmetka.curriculum import selectors as curriculum_selectors
from otmetka.curriculum import services as curriculum_services
from otmetka.curriculum.selectors import current_year_or_404
from otmetka.journal.schedule import lessons_generate
from otmetka.journal.selectors import lessons_to_review, week_lessons


@login_required
@require_GET
def timetable_index(request: SchoolRequest) -> HttpResponse:
    if request.school is None:
        raise Http404
    require(request.user, request.school, "timetable")
    year = current_year_or_404(school=request.school)
    classes = curriculum_selectors.classes_of(school=request.school, year=year)
    can_change = can(request.user, request.school, "timetable", CHANGE)
    review = lessons_to_review(school=request.school) if can_change else []
    context = {"classes": classes, "year": year, "review": review, "can_change": can_change}
    return render(request, "curriculum/timetable_index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def timetable_grid(request: SchoolRequest, class_pk: int) -> HttpResponse:
    if request.school is None:
        raise Http404
    require(request.user, request.school, "timetable")
    school_class = curriculum_selectors.class_of(school=request.school, pk=class_pk)
    today = timezone.localdate()
    on = date_or(request.POST.get("valid_from") or request.GET.get("on"), today)
    courses = curriculum_selectors.class_courses(school_class=school_class)
    errors: list[str] = []
    if request.method == "POST":
        require(request.user, request.school, "timetable", CHANGE)
        try:
            done = _grid_save(request, school_class, courses, on)
        except ValidationError as error:
            errors = list(error.messages)
        else:
            messages.success(request, done)
            return redirect(f"{reverse('timetable:grid', args=[school_class.pk])}?on={on:%Y-%m-%d}")
    grid = curriculum_selectors.timetable_grid(school_class=school_class, on=on)
    can_change = can(request.user, request.school, "timetable", CHANGE)
    if can_change:
        _link_lessons(grid, week_lessons(school_class=school_class, on=on))
    context = {
        "school_class": school_class,
        "on": on,
        "grid": grid,
        "courses": courses,
        "errors": errors,
        "posted": request.POST if errors else None,
        "can_change": can_change,
    }
    return render(request, "curriculum/grid.html", context)


def _grid_save(request: SchoolRequest, school_class: Any, courses: list, on: datetime.date) -> str:
    """Parse the cells, save the week and, when asked, regenerate lessons; a message back."""
    assert request.school is not None  # the view required the timetable right
    by_pk = {c.pk: c for c in courses}
    cells: dict[tuple[int, int], tuple[Any, str]] = {}
    for key, value in request.POST.items():
        parts = key.split("-")
        if len(parts) != 3 or parts[0] != "course":
            continue
        weekday, bell_id = int_or(parts[1], -1), int_or(parts[2], -1)
        course = by_pk.get(int_or(value, 0)) if value else None
        if value and course is None:
            raise ValidationError(
                _("Choose a course of the class %(cls)s.") % {"cls": school_class}
            )
        room = request.POST.get(f"room-{weekday}-{bell_id}", "")
        cells[(weekday, bell_id)] = (course, room)
    changed = curriculum_services.timetable_class_save(
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


def _link_lessons(grid: dict[str, Any], lessons: dict[tuple[int, int], Any]) -> None:
    """Give each cell of the timetable its dated lesson of the shown week (the lesson's page)."""
    for row in grid["rows"]:
        for cell in row["cells"]:
            cell["lesson"] = lessons.get((cell["weekday"], row["bell"].number))
