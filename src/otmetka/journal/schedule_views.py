"""The deputy's pages of the lesson schedule: a lesson moved, cancelled or added outside the
timetable, and substitutions (assigning a substitute, the month's substituted lessons)."""

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from otmetka.access.http import SchoolRequest
from otmetka.access.rules import CHANGE, require
from otmetka.core.dates import date_or
from otmetka.core.forms import add_service_error
from otmetka.curriculum.forms import (
    ExtraLessonForm,
    LessonCancelForm,
    LessonMoveForm,
    SubstituteForm,
    TeacherRangeForm,
)
from otmetka.curriculum.selectors import current_year_or_404
from otmetka.journal import schedule, selectors
from otmetka.journal.models import Lesson
from otmetka.journal.services import substitution_assign
from otmetka.school.models import AcademicYear


def _year(request: SchoolRequest) -> AcademicYear:
    return current_year_or_404(school=request.school)


@login_required
@require_http_methods(["GET", "POST"])
def lesson_change(request: SchoolRequest, pk: int) -> HttpResponse:
    require(request.user, request.school, "timetable")
    lesson = selectors.lesson_for_change(school=request.school, pk=pk)
    if lesson is None:
        raise Http404
    require(request.user, request.school, "timetable", CHANGE)
    action = request.POST.get("action")
    move = LessonMoveForm(request.POST if action == "move" else None, school=request.school)
    cancel = LessonCancelForm(request.POST if action == "cancel" else None)
    form = move if action == "move" else cancel
    if request.method == "POST" and form.is_valid():
        try:
            if action == "move":
                schedule.lesson_move(actor=request.user, lesson=lesson, **move.cleaned_data)
            else:
                schedule.lesson_cancel(actor=request.user, lesson=lesson, **cancel.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("journal:lesson", pk=lesson.pk)
    context = {"lesson": lesson, "move": move, "cancel": cancel}
    return render(request, "journal/lesson_change.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lesson_extra(request: SchoolRequest) -> HttpResponse:
    require(request.user, request.school, "timetable")
    school = require(request.user, request.school, "timetable", CHANGE)
    year = _year(request)
    form = ExtraLessonForm(request.POST or None, school=request.school, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            lesson = schedule.lesson_add_extra(
                actor=request.user, school=school, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("journal:lesson", pk=lesson.pk)
    return render(request, "journal/lesson_extra.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def substitutions(request: SchoolRequest) -> HttpResponse:
    require(request.user, request.school, "journal", CHANGE)
    pick = TeacherRangeForm(request.GET or None, school=request.school)
    error = ""
    if request.method == "POST":
        error = _assign(request)
        if not error:
            messages.success(request, _("Substitute assigned."))
            return redirect(request.get_full_path())
    lessons: Iterable[Lesson] = []
    if pick.is_valid():
        data = pick.cleaned_data
        lessons = selectors.teacher_lessons(
            school=request.school, teacher=data["teacher"], start=data["start"], end=data["end"]
        )
    substitute = SubstituteForm(school=request.school)
    context = {"pick": pick, "lessons": lessons, "substitute": substitute, "error": error}
    return render(request, "journal/substitutions.html", context)


def _assign(request: SchoolRequest) -> str:
    """Assign the posted substitute; the error message, or "" when done."""
    form = SubstituteForm(request.POST, school=request.school)
    if not form.is_valid():
        return _("Choose the substitute.")
    lesson = selectors.lesson_for_change(school=request.school, pk=form.cleaned_data["lesson"])
    if lesson is None:
        raise Http404
    try:
        substitution_assign(
            actor=request.user,
            lesson=lesson,
            substitute=form.cleaned_data["substitute"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


@login_required
@require_GET
def substitutions_month(request: SchoolRequest) -> HttpResponse:
    require(request.user, request.school, "journal", CHANGE)
    month = date_or(f"{request.GET.get('month', '')}-01", timezone.localdate().replace(day=1))
    groups = selectors.substitutions_month(school=request.school, month=month)
    return render(request, "journal/substitutions_month.html", {"month": month, "groups": groups})
