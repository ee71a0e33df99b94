"""The school setup pages: an index, then one generic list and one generic edit page for every
kind of reference data in the registry (`school.setup.KINDS`)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from otmetka.access.http import SchoolRequest
from otmetka.access.privacy import pd_section, pd_student
from otmetka.access.rules import CHANGE, access_object, can_issue_credentials, require
from otmetka.audit.models import ReadKind
from otmetka.core.forms import add_service_error
from otmetka.people.privacy import reads_log
from otmetka.people.services import Issued
from otmetka.setup.office_views import people_filtered
from otmetka.setup.registry import SetupKind, setup_index, setup_kind, setup_pages
from otmetka.setup.selectors import setup_status

PAGE_SIZE = 100


def setup_object(request: SchoolRequest, spec: SetupKind, pk: Any, *, write: bool = True) -> Any:
    """The row to edit (None to create): 404 unless the user reads the resource school-wide,
    403 when read-only."""
    require(request.user, request.school, spec.resource)
    if pk is None:
        require(request.user, request.school, spec.resource, CHANGE)
        return None
    return access_object(spec.rows(), request.user, request.school, spec.resource, pk, write=write)


def credentials_page(request: HttpRequest, issued: Issued, back: str) -> HttpResponse:
    """The issued login and password, shown once for printing (never cached, never stored)."""
    response = render(request, "setup/credentials.html", {"issued": issued, "back": back})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def setup_home(request: SchoolRequest) -> HttpResponse:
    entries = setup_index(user=request.user, school=request.school)
    if not entries:
        raise Http404
    changing = any(e["can_change"] for e in entries)
    status = setup_status(school=request.school) if changing and request.school else []
    pages = setup_pages(user=request.user, school=request.school)
    return render(
        request, "setup/index.html", {"entries": entries, "status": status, "pages": pages}
    )


@login_required
@require_GET
def setup_list(request: SchoolRequest, kind: str) -> HttpResponse:
    spec = setup_kind(kind)
    require(request.user, request.school, spec.resource)
    filters, found, query = people_filtered(
        request, spec.kind, spec.visible(request.user, request.school)
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    columns = spec.columns_for(request.user, request.school)
    rows = [(obj, [c.cell(obj) for c in columns]) for obj in page]
    can_change = spec.can_change(request.user, request.school)
    context = {
        "spec": spec,
        "columns": columns,
        "page": page,
        "rows": rows,
        "can_change": can_change,
        "filters": filters,
        "query": query,
        "can_issue": can_issue_credentials(request.user, request.school, spec.kind),
        # The nurse and the director open a student's personal data card from the list.
        "pd_cards": spec.kind == "student" and pd_section(request.user, request.school),
    }
    return render(request, "setup/list.html", context)


def _after_save(request: SchoolRequest, spec: SetupKind, result: Any) -> HttpResponse:
    obj: Model = result.obj if isinstance(result, Issued) else result
    if spec.details_template:
        back = reverse("setup:edit", kwargs={"kind": spec.kind, "pk": obj.pk})
    else:
        back = reverse("setup:list", kwargs={"kind": spec.kind})
    if isinstance(result, Issued):
        return credentials_page(request, result, back)
    messages.success(request, _("Saved."))
    return redirect(back)


def _read_only_card(request: SchoolRequest, spec: SetupKind, pk: int | None) -> str | None:
    """Where a reader who may not edit a student goes instead: the student's personal data card
    (the nurse, the director), when it opens for them."""
    if spec.kind != "student" or pk is None or request.method != "GET":
        return None
    if spec.can_change(request.user, request.school):
        return None
    try:
        pd_student(request.user, request.school, pk)
    except Http404:
        return None
    return reverse("people:student", kwargs={"pk": pk})


def _contacts_read(request: SchoolRequest, spec: SetupKind, obj: Any) -> None:
    """A student's or a guardian's page shows guardians' phones: the read is logged (R8)."""
    if obj is None or request.school is None or spec.kind not in ("student", "guardian"):
        return
    student = obj if spec.kind == "student" else obj.student
    reads_log(
        reader=request.user, school=request.school, kind=ReadKind.CONTACTS, students=[student]
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup_edit(request: SchoolRequest, kind: str, pk: int | None = None) -> HttpResponse:
    spec = setup_kind(kind)
    card = _read_only_card(request, spec, pk)
    if card is not None:
        return redirect(card)
    obj = setup_object(request, spec, pk)
    initial = {"initial": request.GET.dict()} if obj is None else {}
    form = spec.form(
        request.POST or None, school=request.school, user=request.user, instance=obj, **initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = spec.save(
                actor=request.user, school=request.school, obj=obj, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _after_save(request, spec, result)
    details = spec.details(obj) if obj is not None and spec.details else {}
    _contacts_read(request, spec, obj)
    can_issue = can_issue_credentials(request.user, request.school, spec.kind)
    context = {"spec": spec, "obj": obj, "form": form, "details": details, "can_issue": can_issue}
    return render(request, "setup/edit.html", context)
