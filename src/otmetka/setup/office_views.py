"""The school office's pages over the people lists: login slips in bulk for a class, a parallel
or the whole school, and the import of students with their guardians from a table."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from otmetka.access.http import SchoolRequest
from otmetka.access.models import Role
from otmetka.access.rules import CHANGE, require, require_issue_credentials
from otmetka.core.forms import RuDateField, SetupForm, add_service_error, choice_field
from otmetka.people.credentials import bulk_targets, credentials_bulk_issue
from otmetka.people.imports import people_import as people_import_run
from otmetka.people.selectors import current_classes, people_search
from otmetka.setup.slips import slips_pdf


class BulkCredentialsForm(SetupForm):
    target = forms.ChoiceField(label=gettext_lazy("For whom"))
    students = forms.BooleanField(label=gettext_lazy("Students"), required=False, initial=True)
    guardians = forms.BooleanField(label=gettext_lazy("Guardians"), required=False, initial=True)
    only_new = forms.BooleanField(
        label=gettext_lazy("Only those who have never logged in"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "Otherwise everyone chosen gets a new password and the old one stops working."
        ),
    )

    def setup_fields(self) -> None:
        choice_field(self, "target").choices = bulk_targets(school=self.school)


@login_required
@require_http_methods(["GET", "POST"])
def credentials_bulk(request: SchoolRequest) -> HttpResponse:
    """Slips for many people at once: the form, then the PDF (shown once, never cached)."""
    school = require_issue_credentials(request.user, request.school, "student")
    form = BulkCredentialsForm(request.POST or None, school=school, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            slips = credentials_bulk_issue(actor=request.user, school=school, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            pdf = slips_pdf(slips, school=school.name, address=request.build_absolute_uri("/"))
            response = HttpResponse(pdf, content_type="application/pdf")
            name = f"logins-{timezone.localdate():%Y-%m-%d}.pdf"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            response["Cache-Control"] = "no-store"
            return response
    title = _("Login slips")
    return render(request, "setup/credentials_bulk.html", {"form": form, "title": title})


class PeopleImportForm(SetupForm):
    file = forms.FileField(
        label=gettext_lazy("Table (XLSX or CSV)"),
        help_text=gettext_lazy(
            "Columns: «ФИО», «Дата рождения», «Класс»; optional «СНИЛС», «Родитель 1», "
            "«Телефон родителя 1», «E-mail родителя 1», «Родитель 2»… At most 2 MB."
        ),
    )
    start = RuDateField(label=gettext_lazy("Arrival date of new students"))
    order_ref = forms.CharField(
        label=gettext_lazy("Order (number and date)"), max_length=100, required=False
    )


@login_required
@require_http_methods(["GET", "POST"])
def people_import(request: SchoolRequest) -> HttpResponse:
    """Students with guardians from a table: a dry run first, then the import (all or none)."""
    school = require(request.user, request.school, "student", CHANGE)
    require(request.user, school, "guardian", CHANGE)
    initial = {"start": timezone.localdate()}
    form = PeopleImportForm(
        request.POST or None, request.FILES or None, school=school, user=request.user,
        initial=initial,
    )  # fmt: skip
    report = None
    if request.method == "POST" and form.is_valid():
        report = people_import_run(
            actor=request.user,
            school=school,
            uploaded_file=form.cleaned_data["file"],
            start=form.cleaned_data["start"],
            order_ref=form.cleaned_data["order_ref"],
            dry_run=request.POST.get("action") != "import",
        )
    context = {"form": form, "report": report, "title": _("Import of students and guardians")}
    status = 400 if report is not None and not report.ok else 200
    return render(request, "setup/people_import.html", context, status=status)


class PeopleFilterForm(forms.Form):
    """The search and filters above a people list (GET: they survive paging)."""

    q = forms.CharField(label=gettext_lazy("Full name"), max_length=100, required=False)
    school_class = forms.TypedChoiceField(
        label=gettext_lazy("Class"), required=False, coerce=int, empty_value=None
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), required=False)

    def __init__(self, data: Any, *, school: Any, kind: str) -> None:
        super().__init__(data)
        if kind == "staff":
            del self.fields["school_class"]
            roles = [(r.value, r.label) for r in Role if r != Role.REGION_VIEWER]
            choice_field(self, "role").choices = [("", _("Any role")), *roles]
        else:
            del self.fields["role"]
            classes = [(c.pk, str(c)) for c in current_classes(school=school)]
            choice_field(self, "school_class").choices = [("", _("Any class")), *classes]


def people_filtered(
    request: SchoolRequest, kind: str, rows: QuerySet[Any]
) -> tuple[Any, QuerySet[Any], str]:
    """A people list narrowed by the page's filters, with the filter form and the query string
    that paging links keep (None, rows and "" for other lists)."""
    if kind not in ("student", "staff", "guardian") or request.school is None:
        return None, rows, ""
    form = PeopleFilterForm(request.GET, school=request.school, kind=kind)
    if not form.is_valid():
        return form, rows.none(), ""
    data = form.cleaned_data
    rows = people_search(
        rows,
        kind=kind,
        school=request.school,
        q=data.get("q") or "",
        class_id=data.get("school_class"),
        role=data.get("role") or "",
    )
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and k in form.fields})
    return form, rows, query
