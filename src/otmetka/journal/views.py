"""The journal pages: "Мои журналы" and the frame of the keyboard-first grid (`grid/`)."""

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from otmetka.access.http import SchoolRequest
from otmetka.access.rules import CHANGE, can, has_journals
from otmetka.journal.downloads import homework_file_response
from otmetka.journal.pages import grid_frame, journal_list
from otmetka.journal.selectors import homework_file_for, journal_course_for


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
        "missing_written_marks": _("no marks for the written work"),
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
        "offline_queued": _(
            "No connection: the entry is kept on this device and will be sent when the "
            "connection returns."
        ),
        "offline_not_sent": _(
            "This entry has not been sent yet: wait until it is sent, then delete it."
        ),
        "offline_kept": _(
            "No connection: the journal as kept on this device at %(at)s. Entries are kept "
            "and sent when the connection returns."
        ),
        "offline_waiting": _("Not sent: %(count)s."),
        "offline_send": _("Send now"),
        "offline_sent": _("Sent from this device: %(count)s."),
        "offline_cell": _("Not sent yet: kept on this device."),
        "offline_empty": _("empty"),
        "offline_conflict": _(
            "%(who)s: the cell was changed on the server meanwhile (now: %(server)s). "
            "Which value stays?"
        ),
        "offline_keep_mine": _("Mine"),
        "offline_keep_server": _("The server's"),
        "offline_rejected": _("%(who)s: not accepted — %(error)s"),
        "offline_dismiss": _("Understood, remove"),
        "touch_to_list": _("Lesson list"),
        "touch_to_table": _("Table"),
        "touch_lesson_number": _("lesson %(number)s"),
        "touch_pick": _("Select %(name)s"),
        "touch_many": _("%(count)s students selected, %(date)s"),
        "touch_many_saved": _("Saved for %(count)s students."),
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
    course = journal_course_for(user=request.user, school=request.school, pk=course_id)
    frame = grid_frame(course=course, period_id=request.GET.get("period"))
    messages_js = grid_messages()
    if can(request.user, request.school, "timetable", CHANGE):
        # Column headers link the lesson's own page (move, cancel) for those who may use it.
        messages_js["lesson_page_url"] = reverse("journal:lesson", args=[0])[: -len("0/")]
        messages_js["lesson_page"] = _("Move or cancel the lesson")
    context = {
        "course": course,
        "messages_js": messages_js,
        "offline_days": settings.JOURNAL_OFFLINE_DAYS,
        **frame,
    }
    return render(request, "journal/grid.html", context)


# What a journal page needs to open offline (the service worker keeps these).
OFFLINE_ASSETS = (
    "core/otmetka.css",
    "core/otmetka.js",
    "journal/grid.css",
    *(
        f"journal/grid/{name}.js"
        for name in (
            "api",
            "dialog",
            "keys",
            "main",
            "offline",
            "panel",
            "period",
            "state",
            "text",
            "touch",
            "view",
        )
    ),
)


@functools.cache
def offline_version() -> str:
    """A digest of the kept files: a deploy that changes one changes the worker's bytes, so the
    browser installs it anew and drops the old copies."""
    digest = hashlib.sha256()
    for asset in OFFLINE_ASSETS:
        found = finders.find(asset)
        digest.update(Path(str(found)).read_bytes() if found else asset.encode())
    return digest.hexdigest()[:12]


def _journal_user(request: SchoolRequest) -> None:
    """404 to those who can have no journal, as "Мои журналы" does."""
    if request.school is None or not has_journals(request.user, request.school):
        raise Http404


@login_required
@require_GET
def service_worker(request: SchoolRequest) -> HttpResponse:
    """The journal's service worker, served from /journal/ so that it may keep the journal's
    pages (a worker under /static/ could only keep /static/)."""
    _journal_user(request)
    context = {
        "version": offline_version(),
        "assets": json.dumps([static(a) for a in OFFLINE_ASSETS]),
        "static_prefix": static(""),
    }
    response = render(request, "journal/sw.js", context, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_GET
def web_manifest(request: SchoolRequest) -> JsonResponse:
    """The web app manifest: the journal installs as «Отметка — журнал»."""
    _journal_user(request)
    icons = [
        {"src": static(f"journal/icons/icon-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png"}
        for n in (192, 512)
    ]
    manifest = {
        "name": _("Otmetka — journal"),
        "short_name": _("Journal"),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/journal/",
        "scope": "/journal/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f4ea0",
        "icons": icons,
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@login_required
@require_GET
def homework_file_download(request: SchoolRequest, file_id: int) -> HttpResponseBase:
    """A homework file for whoever may read its lesson (404 otherwise), always as a download."""
    if request.school is None:
        raise Http404
    found = homework_file_for(user=request.user, school=request.school, pk=file_id)
    return homework_file_response(found)
