"""The journal pages: "Мои журналы" and the frame of the keyboard-first grid (`grid/`)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from otmetka.access.http import SchoolRequest
from otmetka.access.rules import has_journals, journal_course_access
from otmetka.journal.downloads import homework_file_response
from otmetka.journal.pages import grid_frame, journal_list
from otmetka.journal.selectors import homework_file_for
from otmetka.school.refcache import version_of


def grid_messages() -> dict[str, str]:
    """The texts the grid's modules show, translated on the server (the module has no catalogue)."""
    return {
        "loading": _("Loading the journal…"),
        "load_failed": _("The journal could not be loaded. Reload the page."),
        "saving": _("Saving…"),
        "closed_reason": _(
            "The period is closed. State the reason for the correction (it is kept in the history):"
        ),
        "saved": _("Saved."),
        "failed": _("Not saved: %(error)s"),
        "network": _("No connection to the server; the change was not saved."),
        "read_only": _("This cell is read-only for you."),
        "not_enrolled": _("The student was not in the class on this date."),
        "no_marks": _("This course has no marks."),
        "bad_mark": _("«%(value)s» is not a mark of this course (allowed: %(allowed)s)."),
        "unknown_input": _("«%(value)s» is neither a mark nor an absence code."),
        "whole_marks": _(
            "There is no mark «%(value)s»: marks are whole numbers (%(range)s), without «+», "
            "«−» or fractions. Nothing is saved."
        ),
        "latin_layout": _(
            "«%(value)s» is a Latin letter: switch the keyboard to Russian (this key is "
            "«%(russian)s» there). Nothing is saved."
        ),
        "pending": _("«%(value)s»: Enter, Tab or an arrow saves it, Esc cancels."),
        "ambiguous": _("«%(value)s» may be %(options)s: type on."),
        "input_cancelled": _("«%(value)s» is cancelled: nothing is saved."),
        "reason_needed": _("Nothing is saved: a change in a closed period needs a reason."),
        "nothing_deleted": _("Nothing is deleted."),
        "column_first": _(
            "First select the column (Ctrl+Space), then type a value and press Ctrl+Enter."
        ),
        "late_minutes": _("How many minutes late?"),
        "bad_minutes": _("Enter the minutes late as a whole number from 1 to 45."),
        "confirm_delete": _("Delete the mark «%(value)s»?"),
        "nothing_to_clear": _("The cell is empty."),
        "column_filled": _("Filled %(count)s empty cells of the column."),
        "column_empty": _("The column has no empty cells to fill."),
        "column_mode": _(
            "Column %(date)s: type a value and press Ctrl+Enter to fill its empty cells "
            "(Esc cancels)."
        ),
        "arrived": _("arrived %(date)s"),
        "left": _("left %(date)s"),
        "missing_topic": _("no topic"),
        "missing_attendance": _("attendance not taken"),
        "missing_homework": _("no homework"),
        "substitution": _("Substitution"),
        "average": _("Average"),
        "weighted": _("Weighted"),
        "absences": _("Absences"),
        "student": _("Student"),
        "no_students": _("No students in this period."),
        "no_lessons": _("No lessons in this period yet."),
        "history_empty": _("No changes recorded for this cell."),
        "history_title": _("History of the cell"),
        "all_present_done": _("Attendance taken: everybody present."),
        "lesson_saved": _("The lesson is saved."),
        "file_added": _("The file is attached."),
        "cancelled": _("cancelled"),
    }


@login_required
@require_GET
def course_list(request: SchoolRequest) -> HttpResponse:
    """The courses whose journal the user may open, grouped by class; 404 to those who can have
    no journal (`has_journals`)."""
    if request.school is None or not has_journals(request.user, request.school):
        raise Http404
    groups = journal_list(user=request.user, school=request.school)
    return render(request, "journal/list.html", {"groups": groups})


@login_required
@require_GET
def grid_page(request: SchoolRequest, course_id: int) -> HttpResponse:
    """The grid page of one course: title, period tabs, legend; grid.js draws the table."""
    if request.school is None:
        raise Http404
    course = journal_course_access(
        request.user, request.school, course_id, ref_version=version_of()
    )
    frame = grid_frame(course=course, period_id=request.GET.get("period"))
    context = {"course": course, "messages_js": grid_messages(), **frame}
    return render(request, "journal/grid.html", context)


@login_required
@require_GET
def homework_file_download(request: SchoolRequest, file_id: int) -> HttpResponseBase:
    """A homework file for whoever may read its lesson (404 otherwise), always as a download."""
    if request.school is None:
        raise Http404
    found = homework_file_for(user=request.user, school=request.school, pk=file_id)
    return homework_file_response(found)
