"""The diary pages: the week (the home page of students and parents), marks, homework, the
class's timetable, switching between children; and the homeroom teacher's class pages."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from otmetka.access.diary import diary_file_access, homeroom_class_access
from otmetka.access.http import SchoolRequest
from otmetka.core.dates import date_or
from otmetka.diary import classes, selectors
from otmetka.diary.services import diary_choice_set, diary_visit
from otmetka.journal.downloads import homework_file_response
from otmetka.people.models import Student

PAGES = ("week", "marks", "homework", "timetable")


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _reader(request: SchoolRequest) -> tuple[selectors.Reader, Student]:
    """The reader and the student open now; 404 for a user who reads no diary."""
    reader = selectors.diary_reader(user=request.user)
    if reader.current is None:
        raise Http404
    return reader, reader.current


@login_required
@require_GET
def week(request: SchoolRequest) -> HttpResponse:
    """The student's week: lessons, homework, marks and absences day by day."""
    reader, student = _reader(request)
    day = date_or(request.GET.get("date"), timezone.localdate())
    since = diary_visit(user=request.user, student=student)
    data = selectors.diary_week(student=student, day=day, since=since)
    return render(request, "diary/week.html", {"reader": reader, "tab": "week", **data})


@login_required
@require_GET
def marks(request: SchoolRequest) -> HttpResponse:
    """Marks by subject for a period, with averages and charts."""
    reader, student = _reader(request)
    since = diary_visit(user=request.user, student=student)
    period = _int(request.GET.get("period"))
    data = selectors.diary_marks(student=student, chosen_period=period, since=since)
    return render(request, "diary/marks.html", {"reader": reader, "tab": "marks", **data})


@login_required
@require_GET
def homework(request: SchoolRequest) -> HttpResponse:
    """Homework still to do, by due date, with files."""
    reader, student = _reader(request)
    data = selectors.diary_homework(student=student, today=timezone.localdate())
    return render(request, "diary/homework.html", {"reader": reader, "tab": "homework", **data})


@login_required
@require_GET
def timetable(request: SchoolRequest) -> HttpResponse:
    """The class's timetable of a week."""
    reader, student = _reader(request)
    day = date_or(request.GET.get("date"), timezone.localdate())
    data = selectors.class_timetable(student=student, day=day)
    return render(request, "diary/timetable.html", {"reader": reader, "tab": "timetable", **data})


@login_required
@require_POST
def child_switch(request: SchoolRequest) -> HttpResponse:
    """Open another child's diary (remembered for the next visit)."""
    diary_choice_set(actor=request.user, student_id=request.POST.get("student"))
    page = request.POST.get("next")
    return redirect(f"diary:{page}" if page in PAGES else "diary:week")


@login_required
@require_GET
def file_download(request: SchoolRequest, file_id: int) -> HttpResponseBase:
    """A homework file of one of the reader's students' lessons, as a download."""
    return homework_file_response(diary_file_access(request.user, file_id))


@login_required
@require_GET
def class_page(request: SchoolRequest, class_id: int) -> HttpResponse:
    """The homeroom teacher's class: students, gaps in their data, guardians' logins."""
    school_class = homeroom_class_access(request.user, request.school, class_id)
    data = classes.class_roster(school_class=school_class)
    return render(request, "diary/class.html", data)


@login_required
@require_GET
def class_summary(request: SchoolRequest, class_id: int) -> HttpResponse:
    """The class summary of marks and absences for a period (printable)."""
    school_class = homeroom_class_access(request.user, request.school, class_id)
    period = _int(request.GET.get("period"))
    data = classes.class_summary(school_class=school_class, chosen_period=period)
    return render(request, "diary/summary.html", data)
