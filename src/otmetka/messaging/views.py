"""Messaging pages: inbox and sent with search, a new message, a thread with replies, receipts,
acknowledgement, hiding, reporting, the director's reported threads, attachments, e-mail."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otmetka.access import messaging as access
from otmetka.access.http import SchoolRequest
from otmetka.core.forms import add_service_error, choice_field
from otmetka.journal.downloads import homework_file_response
from otmetka.messaging import selectors, services
from otmetka.messaging.forms import (
    ComposeForm,
    NotificationForm,
    ReplyForm,
    ReportForm,
    SearchForm,
)


def _school(request: SchoolRequest) -> Any:
    """The current school of a user who may use messaging; 404 otherwise."""
    school = getattr(request, "school", None)
    access.require_use(request.user, school)
    return school


def _folder(request: SchoolRequest, name: str) -> HttpResponse:
    school = _school(request)
    form = SearchForm(request.GET)
    found = form.cleaned_data if form.is_valid() else {}
    rows = selectors.folder(
        user=request.user, school=school, name=name,
        text=found.get("q", ""), person=found.get("person", ""),
    )  # fmt: skip
    context = {"rows": rows, "form": form, "folder": name}
    return render(request, "messaging/folder.html", context)


@login_required
@require_GET
def inbox(request: SchoolRequest) -> HttpResponse:
    """Threads with something received, newest first; search by text and by person."""
    return _folder(request, "inbox")


@login_required
@require_GET
def sent(request: SchoolRequest) -> HttpResponse:
    """Threads the user wrote in, newest first."""
    return _folder(request, "sent")


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: SchoolRequest) -> HttpResponse:
    """A new message to people and (staff) groups, or an announcement."""
    school = _school(request)
    posted = request.method == "POST"
    # A sent form is checked against the people it names; the page lists everyone.
    only = request.POST.getlist("to") if posted else None
    people = selectors.recipient_choices(user=request.user, school=school, only=only)
    groups = selectors.group_choices(user=request.user, school=school)
    data = (request.POST, request.FILES) if posted else ()
    form = ComposeForm(
        *data, people=people, groups=groups, initial={"to": request.GET.getlist("to")}
    )
    if posted and form.is_valid():
        try:
            thread = services.thread_start(actor=request.user, school=school, **_compose_args(form))
        except ValidationError as e:
            add_service_error(form, e)
        else:
            messages.success(request, _("The message is sent."))
            return redirect("messaging:thread", thread.pk)
    if posted:  # shown again with its errors: the whole list to choose from
        everyone = selectors.recipient_choices(user=request.user, school=school)
        choice_field(form, "to").choices = everyone
    return render(
        request, "messaging/compose.html", {"form": form}, status=400 if form.errors else 200
    )


def _compose_args(form: ComposeForm) -> dict[str, Any]:
    """The service's arguments from a valid form (the audience named by the chosen groups)."""
    data = form.cleaned_data
    names: dict[str, str] = {}
    if "groups" in form.fields:  # (key, name) pairs that ComposeForm got from `group_choices`
        names = dict(cast("list[tuple[str, str]]", choice_field(form, "groups").choices))
    chosen = [str(names.get(g, g)) for g in data.get("groups", [])]
    return {
        "subject": data["subject"], "body": data["body"], "user_ids": data["to"],
        "groups": data.get("groups", []), "audience": ", ".join(chosen),
        "announcement": data.get("announcement", False), "needs_ack": data.get("needs_ack", False),
        "files": data["files"],
    }  # fmt: skip


@login_required
@require_GET
def thread(request: SchoolRequest, thread_id: int) -> HttpResponse:
    """One thread: its messages (marked read), the reply form, «Ознакомлен», report, delete."""
    school = _school(request)
    view = selectors.thread_view(user=request.user, school=school, thread_id=thread_id)
    services.thread_read(actor=request.user, participant=view.participant)
    initial = {"to_user": view.reply_to.pk if view.reply_to else ""}
    context = {"v": view, "form": ReplyForm(initial=initial), "report_form": ReportForm()}
    return render(request, "messaging/thread.html", context)


@login_required
@require_POST
def reply(request: SchoolRequest, thread_id: int) -> HttpResponse:
    """A reply in a conversation; a refusal comes back as a message on the thread page."""
    school = _school(request)
    form = ReplyForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        services.thread_reply(
            actor=request.user, school=school, thread_id=thread_id, body=form.cleaned_data["body"],
            to_user=form.cleaned_data["to_user"], files=form.cleaned_data["files"],
        )  # fmt: skip
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("messaging:thread", thread_id)
    messages.success(request, _("The reply is sent."))
    return redirect("messaging:thread", thread_id)


@login_required
@require_GET
def receipts(request: SchoolRequest, thread_id: int) -> HttpResponse:
    """The author sees who has read (and acknowledged) the thread, and who has not."""
    school = _school(request)
    found, rows = selectors.receipts(user=request.user, school=school, thread_id=thread_id)
    read = sum(1 for r in rows if r.read_at)
    acked = sum(1 for r in rows if r.acknowledged_at)
    context = {"thread": found, "rows": rows, "read": read, "acked": acked, "total": len(rows)}
    return render(request, "messaging/receipts.html", context)


def _act(request: SchoolRequest, thread_id: int, action: Any, done: str, **kw: Any) -> HttpResponse:
    """Run a thread action of the user; its refusal or `done` as a message."""
    school = _school(request)
    try:
        action(actor=request.user, school=school, thread_id=thread_id, **kw)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("messaging:thread", thread_id)
    messages.success(request, done)
    if action is services.thread_hide:
        return redirect("messaging:inbox")
    return redirect("messaging:thread", thread_id)


@login_required
@require_POST
def acknowledge(request: SchoolRequest, thread_id: int) -> HttpResponse:
    """«Ознакомлен»: the recipient confirms the announcement."""
    return _act(request, thread_id, services.thread_acknowledge, _("Acknowledged."))


@login_required
@require_POST
def hide(request: SchoolRequest, thread_id: int) -> HttpResponse:
    """Delete the thread from the user's own view."""
    return _act(
        request, thread_id, services.thread_hide, _("The thread is deleted from your list.")
    )


@login_required
@require_POST
def report(request: SchoolRequest, thread_id: int) -> HttpResponse:
    """Report the thread to the director."""
    form = ReportForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    done = _("The thread is reported to the director.")
    return _act(request, thread_id, services.thread_report, done, reason=reason)


@login_required
@require_GET
def reported(request: SchoolRequest) -> HttpResponse:
    """The director's list of reported threads."""
    school = _school(request)
    rows = selectors.reported_threads(user=request.user, school=school)
    return render(request, "messaging/reported.html", {"rows": rows})


@login_required
@require_GET
def attachment(request: SchoolRequest, file_id: int) -> HttpResponseBase:
    """An attachment for whoever may see its message (404 otherwise), always as a download."""
    school = _school(request)
    found = selectors.attachment_for(user=request.user, school=school, pk=file_id)
    return homework_file_response(found)  # type: ignore[arg-type]  # the same .file and .name


@login_required
@require_http_methods(["GET", "POST"])
def mail_settings(request: SchoolRequest) -> HttpResponse:
    """«Уведомления»: per kind of news, in the app only, an e-mail each time or the daily
    digest, and the digest's hour (mail goes to the account's address)."""
    school = _school(request)
    current = selectors.notification_choices(user=request.user)
    kinds = selectors.notification_kinds(user=request.user, school=school)
    form = NotificationForm(request.POST or None, kinds=kinds, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            sent = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
            services.notification_choices_set(actor=request.user, choices=sent)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("messaging:settings")
    context = {"form": form, "email": request.user.email, "folder": "settings"}
    return render(request, "messaging/settings.html", context, status=400 if form.errors else 200)


@csrf_exempt  # the signed token is the credential; mail clients POST it in one click (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Turn e-mail of new messages off from the link in a mail, without logging in."""
    if request.method == "GET":
        return render(request, "messaging/unsubscribe.html", {"done": False})
    if not services.unsubscribe(token=token):
        raise Http404
    return render(request, "messaging/unsubscribe.html", {"done": True})
