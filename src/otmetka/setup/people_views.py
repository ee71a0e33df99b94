"""Actions on people beyond create/edit: contingent movement of a student (transfer, departure),
a student's login, and new passwords issued by the administrator."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from otmetka.access.http import SchoolRequest
from otmetka.access.rules import require_issue_credentials
from otmetka.core.forms import SetupForm, add_service_error
from otmetka.people import forms, services
from otmetka.setup.registry import setup_kind
from otmetka.setup.views import credentials_page, setup_object

ACTIONS: dict[str, tuple[Any, type[SetupForm], Callable[..., Any]]] = {
    "transfer": (
        gettext_lazy("Transfer to another class"),
        forms.TransferForm,
        services.student_transfer,
    ),
    "depart": (
        gettext_lazy("Departure from the school"),
        forms.DepartForm,
        services.student_depart,
    ),
    "login": (gettext_lazy("Issue a login"), forms.StudentLoginForm, services.student_login_issue),
}


@login_required
@require_http_methods(["GET", "POST"])
def student_action(request: SchoolRequest, pk: int, action: str) -> HttpResponse:
    title, form_class, service = ACTIONS[action]
    student = setup_object(request, setup_kind("student"), pk)
    form = form_class(request.POST or None, school=request.school, user=request.user)
    back = reverse("setup:edit", kwargs={"kind": "student", "pk": student.pk})
    if request.method == "POST" and form.is_valid():
        try:
            result = service(
                actor=request.user, school=request.school, student=student, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if isinstance(result, services.Issued):
                return credentials_page(request, result, back)
            messages.success(request, _("Saved."))
            return redirect(back)
    context = {"title": title, "subject": student, "form": form, "back": back}
    return render(request, "setup/action.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def password_issue(request: SchoolRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in ("staff", "student", "guardian"):
        raise Http404
    obj = setup_object(request, setup_kind(kind), pk, write=False)
    school = require_issue_credentials(request.user, request.school, kind)
    if obj.user_id is None:
        raise Http404
    back = reverse("setup:edit", kwargs={"kind": kind, "pk": obj.pk})
    if request.method == "POST":
        try:
            issued = services.account_password_issue(
                actor=request.user, school=school, user_id=obj.user_id, kind=kind
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(back)
        return credentials_page(request, issued, back)
    context = {"title": _("New password"), "subject": obj.user, "form": None, "back": back}
    return render(request, "setup/action.html", context)
