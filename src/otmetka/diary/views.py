"""The diary pages: the week (the home page of students and parents), marks, homework, the
class's timetable, switching between children; and the homeroom teacher's class pages."""

from typing import Any
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from otmetka.access.diary import diary_file_access, homeroom_class_access
from otmetka.access.http import SchoolRequest
from otmetka.audit.models import ReadKind
from otmetka.core.dates import date_or
from otmetka.diary import classes, selectors
from otmetka.diary.exports import summary_xlsx
from otmetka.diary.services import (
    absence_reason_set,
    class_slips_issue,
    diary_choice_set,
    diary_visit,
)
from otmetka.journal.downloads import homework_file_response
from otmetka.people.models import Student
from otmetka.people.privacy import reads_log

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
    assert request.school is not None  # the class is the school's
    # The guardians' phones are contacts: the read is logged (R8).
    reads_log(
        reader=request.user,
        school=request.school,
        kind=ReadKind.CONTACTS,
        students=[r["student"] for r in data["rows"]],
    )
    return render(request, "diary/class.html", data)


@login_required
@require_GET
def class_summary(request: SchoolRequest, class_id: int) -> HttpResponse:
    """The class summary of marks and absences for a period (printable)."""
    data = _summary(request, class_id)
    sort_choices = [
        ("name", _("by name")),
        ("mean", _("weakest first")),
        ("-mean", _("strongest first")),
        ("absences", _("most absences first")),
    ]
    return render(request, "diary/summary.html", {**data, "sort_choices": sort_choices})


def _summary(request: SchoolRequest, class_id: int) -> dict[str, Any]:
    school_class = homeroom_class_access(request.user, request.school, class_id)
    period, sort = _int(request.GET.get("period")), request.GET.get("sort") or "name"
    return classes.class_summary(school_class=school_class, chosen_period=period, sort=sort)


@login_required
@require_GET
def class_summary_xlsx(request: SchoolRequest, class_id: int) -> HttpResponse:
    """The class summary as an XLSX workbook, in the page's order."""
    data = _summary(request, class_id)
    name = f"{data['school_class']}-{data['period'].name if data['period'] else ''}".strip("-")
    response = HttpResponse(
        summary_xlsx(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"summary.xlsx\"; filename*=UTF-8''{quote(name)}.xlsx"
    )
    return response


@login_required
@require_GET
def class_attendance(request: SchoolRequest, class_id: int) -> HttpResponse:
    """The class's absences by day and by student for a week or a month, with the form for a
    day's reason."""
    school_class = homeroom_class_access(request.user, request.school, class_id)
    day = date_or(request.GET.get("date"), timezone.localdate())
    span = request.GET.get("span") or "week"
    data = classes.class_attendance(school_class=school_class, day=day, span=span)
    return render(request, "diary/attendance.html", data)


@login_required
@require_POST
def absence_reason(request: SchoolRequest, class_id: int) -> HttpResponse:
    """Record the reason for a student's day of absences (a parent's note)."""
    school_class = homeroom_class_access(request.user, request.school, class_id)
    post = request.POST
    try:
        changed = absence_reason_set(
            actor=request.user,
            school_class=school_class,
            student_id=post.get("student"),
            day=post.get("date"),
            code=post.get("code"),
            note=post.get("note", ""),
        )
    except ValidationError as error:  # the page again, with the form as sent and the reasons
        data = classes.class_attendance(
            school_class=school_class, day=_week_of(request), span=post.get("span") or "week"
        )
        data |= {"errors": error.messages, "sent": post}
        return render(request, "diary/attendance.html", data, status=400)
    messages.success(
        request,
        ngettext(
            "Reason recorded: %(n)s absence changed.",
            "Reason recorded: %(n)s absences changed.",
            changed,
        )
        % {"n": changed},
    )
    return _back(request, class_id)


def _week_of(request: SchoolRequest) -> Any:
    """The day whose week (or month) the attendance form was sent from."""
    return date_or(request.POST.get("week"), timezone.localdate())


def _back(request: SchoolRequest, class_id: int) -> HttpResponse:
    span = "month" if request.POST.get("span") == "month" else "week"
    url = reverse("diary:attendance", args=[class_id])
    return redirect(f"{url}?date={_week_of(request):%Y-%m-%d}&span={span}")


@login_required
@require_POST
def class_slips(request: SchoolRequest, class_id: int) -> HttpResponse:
    """New passwords for the class's guardians who have never logged in, printed as slips in one
    go (shown once, never cached)."""
    school_class = homeroom_class_access(request.user, request.school, class_id)
    try:
        slips = class_slips_issue(actor=request.user, school_class=school_class)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("diary:class", class_id)
    address = request.build_absolute_uri("/")
    qr = segno.make(address, error="m").svg_inline(scale=3, border=1)
    context = {"school_class": school_class, "slips": slips, "address": address, "qr": qr}
    response = render(request, "diary/slips.html", context)
    response["Cache-Control"] = "no-store"
    return response
