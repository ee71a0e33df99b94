"""The website's staff pages: the queue (черновик → на согласовании → опубликовано /
возвращено), drafting an item with its files, submitting, the director's decision, the site's
contacts and help links, and who else submits documents."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otmetka.access import portal as access
from otmetka.access.http import SchoolRequest
from otmetka.access.rules import staff_now
from otmetka.core.forms import add_service_error
from otmetka.journal.downloads import homework_file_response
from otmetka.journal.models import HomeworkFile
from otmetka.portal import selectors, services
from otmetka.portal.forms import (
    FileForm,
    HelpLinkForm,
    PublicationForm,
    ReturnForm,
    SiteForm,
    SubmitterForm,
)
from otmetka.portal.markup import markdown_html
from otmetka.portal.models import Publication


def _school(request: SchoolRequest) -> Any:
    """The current school of a user of the website's staff pages; 404 otherwise."""
    access.require_use(request.user, request.school)
    return request.school


def _item(request: SchoolRequest, pk: int) -> tuple[Any, Publication]:
    school = _school(request)
    return school, selectors.item_view(user=request.user, school=school, item_id=pk)


@login_required
@require_GET
def queue(request: SchoolRequest) -> HttpResponse:
    """The items the user sees, filtered by state, with the count of each state."""
    school = _school(request)
    found = selectors.queue(user=request.user, school=school, state=request.GET.get("state", ""))
    context = {
        "q": found, "states": Publication.State.choices,
        "may_news": access.may_draft(request.user, school, "news"),
        "may_document": access.may_draft(request.user, school, "document"),
        "may_site": access.may_edit_site(request.user, school),
        "may_submitters": access.may_choose_submitters(request.user, school),
        "public_key": selectors.school_key(school),
    }  # fmt: skip
    return render(request, "portal/queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: SchoolRequest, kind: str) -> HttpResponse:
    """A new draft of a news item or a document."""
    school = _school(request)
    if kind not in Publication.Kind.values or not access.may_draft(request.user, school, kind):
        raise Http404
    return _edit_page(request, school, kind, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: SchoolRequest, pk: int) -> HttpResponse:
    """Change a draft or a returned item (403 once it is submitted or published)."""
    school, item = _item(request, pk)
    access.require_edit(request.user, school, item)
    return _edit_page(request, school, item.kind, item)


def _edit_page(
    request: SchoolRequest, school: Any, kind: str, item: Publication | None
) -> HttpResponse:
    posted = request.method == "POST"
    students = selectors.student_choices(school) if kind == "news" else []
    initial = _initial(item) if item is not None else {}
    form = PublicationForm(
        request.POST if posted else None, kind=kind, students=students, initial=initial
    )
    if posted and form.is_valid():
        try:
            saved = services.publication_save(
                actor=request.user, school=school, kind=kind, item=item, **form.cleaned_data
            )
        except ValidationError as e:
            add_service_error(form, e)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("portal:item", saved.pk)
    context = {"form": form, "item": item, "kind": kind}
    return render(request, "portal/edit.html", context, status=400 if form.errors else 200)


def _initial(item: Publication) -> dict[str, Any]:
    fields = ("title", "body", "category", "doc_number", "doc_date")
    data: dict[str, Any] = {f: getattr(item, f) for f in fields}
    data["students"] = [s.pk for s in item.students.all()]
    data["consent_checked"] = item.consent_checked_at is not None
    return data


@login_required
@require_GET
def item_page(request: SchoolRequest, pk: int) -> HttpResponse:
    """An item as it will look, its state, files and the actions the user may take."""
    school, item = _item(request, pk)
    user = request.user
    context = {
        "item": item, "body": markdown_html(item.body), "file_form": FileForm(),
        "return_form": ReturnForm(), "may_edit": access.may_edit_item(user, school, item),
        "may_approve": access.may_approve(user, school) and item.state == "pending",
        "may_withdraw": access.sees_whole_queue(user, school) and item.state == "published",
        "consent": services.consent_problem(item), "public_key": selectors.school_key(school),
    }  # fmt: skip
    return render(request, "portal/item.html", context)


def _act(request: SchoolRequest, pk: int, done: str, action: Any, **kw: Any) -> HttpResponse:
    """Run a workflow service on the item; its refusal is shown on the item's page."""
    school, item = _item(request, pk)
    try:
        action(actor=request.user, school=school, item=item, **kw)
    except ValidationError as e:
        for text in e.messages:
            messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect("portal:item", item.pk)


@login_required
@require_POST
def submit(request: SchoolRequest, pk: int) -> HttpResponse:
    school, item = _item(request, pk)
    access.require_edit(request.user, school, item)
    return _act(request, pk, _("Sent to the director for approval."), services.publication_submit)


@login_required
@require_POST
def approve(request: SchoolRequest, pk: int) -> HttpResponse:
    school, _found = _item(request, pk)
    access.require_approve(request.user, school)
    return _act(request, pk, _("Approved and published."), services.publication_approve)


@login_required
@require_POST
def return_item(request: SchoolRequest, pk: int) -> HttpResponse:
    school, _found = _item(request, pk)
    access.require_approve(request.user, school)
    form = ReturnForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(
        request, pk, _("Returned with a comment."), services.publication_return, comment=comment
    )


@login_required
@require_POST
def withdraw(request: SchoolRequest, pk: int) -> HttpResponse:
    school, _found = _item(request, pk)
    if not access.sees_whole_queue(request.user, school):
        raise PermissionDenied
    return _act(request, pk, _("Taken off the public pages."), services.publication_withdraw)


@login_required
@require_POST
def file_add(request: SchoolRequest, pk: int) -> HttpResponse:
    """Attach a file or a picture to a draft or returned item."""
    school, item = _item(request, pk)
    access.require_edit(request.user, school, item)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
        return redirect("portal:item", item.pk)
    try:
        services.publication_file_add(
            actor=request.user, school=school, item=item,
            upload=form.cleaned_data["upload"], alt=form.cleaned_data["alt"],
        )  # fmt: skip
    except ValidationError as e:
        for text in e.messages:
            messages.error(request, text)
    return redirect("portal:item", item.pk)


@login_required
@require_POST
def file_remove(request: SchoolRequest, pk: int, file_id: int) -> HttpResponse:
    school, item = _item(request, pk)
    row = next((f for f in item.files.all() if f.pk == file_id), None)
    if row is None:
        raise Http404
    access.require_edit(request.user, school, item)
    services.publication_file_remove(actor=request.user, school=school, row=row)
    return redirect("portal:item", item.pk)


@login_required
@require_GET
def file_download(request: SchoolRequest, file_id: int) -> HttpResponseBase:
    """A file of an item in the user's queue, drafts included, as a download (the original of a
    picture too)."""
    found = selectors.staff_file(user=request.user, school=_school(request), file_id=file_id)
    return homework_file_response(cast(HomeworkFile, found))


@login_required
@require_http_methods(["GET", "POST"])
def site(request: SchoolRequest) -> HttpResponse:
    """The site's address, contacts and help links (the web editor)."""
    school = _school(request)
    if not access.may_edit_site(request.user, school):
        raise Http404
    profile = selectors.site_profile(school)
    initial = {f: getattr(profile, f) for f in SiteForm.base_fields if hasattr(profile, f)}
    form = SiteForm(request.POST or None, initial={**initial, "slug": school.slug or ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.site_save(actor=request.user, school=school, **form.cleaned_data)
        except ValidationError as e:
            add_service_error(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("portal:site")
    context = {"form": form, "links": selectors.help_links(school), "link_form": HelpLinkForm()}
    return render(request, "portal/site.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def help_add(request: SchoolRequest) -> HttpResponse:
    school = _school(request)
    if not access.may_edit_site(request.user, school):
        raise Http404
    form = HelpLinkForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.help_link_add(actor=request.user, school=school, **form.cleaned_data)
    except ValidationError as e:
        for text in e.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The link is added."))
    return redirect("portal:site")


@login_required
@require_POST
def help_remove(request: SchoolRequest, pk: int) -> HttpResponse:
    school = _school(request)
    if not access.may_edit_site(request.user, school):
        raise Http404
    link = selectors.help_link(school, pk)
    services.help_link_remove(actor=request.user, school=school, link=link)
    return redirect("portal:site")


@login_required
@require_http_methods(["GET", "POST"])
def submitters(request: SchoolRequest) -> HttpResponse:
    """The admin allows staff members to submit documents (the deputy always may)."""
    school = _school(request)
    if not access.may_choose_submitters(request.user, school):
        raise Http404
    staff = [(u.pk, u.full_name) for u in staff_now(school)]
    form = SubmitterForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        allowed = request.POST.get("allowed") != "0"
        try:
            services.submitter_set(
                actor=request.user, school=school, user_id=form.cleaned_data["user"],
                allowed=allowed,
            )  # fmt: skip
        except ValidationError as e:
            add_service_error(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("portal:submitters")
    context = {"form": form, "rows": selectors.submitters(school)}
    return render(request, "portal/submitters.html", context, status=400 if form.errors else 200)
