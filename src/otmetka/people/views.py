"""A student's personal data pages (R8, R16–R19): the classes one may open, a class's list of
missing data, consents and health groups, a student's card with its forms, a consent's scanned
copy, and the director's log of reads. Rights: `access.privacy`; every page that shows health
data, contacts or consents logs the read."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from otmetka.access.http import SchoolRequest
from otmetka.access.privacy import (
    PdRights,
    class_rights,
    pd_classes,
    pd_section,
    pd_student,
    reads_log_visible,
    student_rights,
)
from otmetka.audit.models import ReadKind
from otmetka.core.forms import add_service_error
from otmetka.core.uploads import stored_file_response
from otmetka.people import privacy, privacy_selectors
from otmetka.people.models import Student
from otmetka.people.privacy_forms import (
    ConfirmForm,
    ConsentForm,
    HealthForm,
    ReadsFilter,
    WithdrawForm,
)

PAGE_SIZE = 100


def _log(request: SchoolRequest, rights: PdRights, students: list[Student]) -> None:
    """Log what the page shows of these students: health data, consents and contacts."""
    assert request.school is not None
    if rights.health_read:
        privacy.reads_log(
            reader=request.user, school=request.school, kind=ReadKind.HEALTH, students=students
        )
    if rights.data_read:
        privacy.reads_log(
            reader=request.user, school=request.school, kind=ReadKind.CONSENTS, students=students
        )


@login_required
@require_GET
def index(request: SchoolRequest) -> HttpResponse:
    classes = list(
        pd_classes(request.user, request.school)
        .filter(year__start__lte=_today(), year__end__gte=_today())
        .select_related("year")
        .order_by("grade", "letter")
    )
    if not classes and not pd_section(request.user, request.school):
        raise Http404
    context = {"classes": classes, "log": reads_log_visible(request.user, request.school)}
    return render(request, "people/index.html", context)


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


@login_required
@require_GET
def class_page(request: SchoolRequest, pk: int) -> HttpResponse:
    school_class = privacy_selectors.school_class_of(request.school, pk)
    if school_class is None:
        raise Http404
    rights = class_rights(request.user, request.school, school_class)
    if not rights.any:
        raise Http404
    rows = privacy_selectors.class_pd_rows(school_class, rights)
    _log(request, rights, [r.student for r in rows])
    context = {"school_class": school_class, "rights": rights, "rows": rows}
    return render(request, "people/class.html", context)


def _card(
    request: SchoolRequest,
    student: Student,
    rights: PdRights,
    forms: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    context: dict[str, Any] = {"student": student, "rights": rights}
    if rights.data_read:
        context["consents"] = privacy_selectors.student_consents(student)
        context["guardians"] = privacy_selectors.student_guardians(student)
        if rights.data_write:
            context["consent_form"] = forms.get("consent") or ConsentForm()
            context["confirm_form"] = forms.get("confirm") or ConfirmForm(
                initial={"birth_date": student.birth_date, "document": student.document}
            )
            context["withdraw_form"] = WithdrawForm(initial={"withdrawn_on": _today()})
    if rights.health_read:
        records = privacy_selectors.student_health(student)
        context["health"] = privacy_selectors.health_current(records, _today())
        context["health_records"] = [] if rights.pe_only else records
        if rights.health_write:
            context["health_form"] = forms.get("health") or HealthForm(initial={"start": _today()})
    assert request.school is not None
    _log(request, rights, [student])
    if rights.data_read and context["guardians"]:
        privacy.reads_log(
            reader=request.user, school=request.school, kind=ReadKind.CONTACTS, students=[student]
        )
    return render(request, "people/student.html", context, status=status)


@login_required
@require_GET
def student_page(request: SchoolRequest, pk: int) -> HttpResponse:
    student, rights = pd_student(request.user, request.school, pk)
    return _card(request, student, rights)


def _back(student: Student) -> str:
    return reverse("people:student", kwargs={"pk": student.pk})


def _post(
    request: SchoolRequest,
    pk: int,
    name: str,
    form_class: type[Form],
    right: str,
    service: Any,
) -> HttpResponse:
    """A form of the student's card: saved and back to the card, or the card with the form's
    errors (400, nothing written)."""
    student, rights = pd_student(request.user, request.school, pk)
    if not getattr(rights, right):
        raise PermissionDenied
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            service(actor=request.user, school=request.school, student=student, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back(student))
    return _card(request, student, rights, {name: form}, status=400)


@login_required
@require_POST
def consent_add(request: SchoolRequest, pk: int) -> HttpResponse:
    return _post(request, pk, "consent", ConsentForm, "data_write", privacy.consent_add)


@login_required
@require_POST
def data_confirm(request: SchoolRequest, pk: int) -> HttpResponse:
    return _post(request, pk, "confirm", ConfirmForm, "data_write", privacy.data_confirm)


@login_required
@require_POST
def health_add(request: SchoolRequest, pk: int) -> HttpResponse:
    return _post(request, pk, "health", HealthForm, "health_write", privacy.health_record_add)


def _consent(request: SchoolRequest, pk: int, right: str) -> tuple[Any, PdRights]:
    consent = privacy_selectors.consent_of(request.school, pk)
    if consent is None:
        raise Http404
    rights = student_rights(request.user, request.school, consent.student)
    if not rights.data_read:
        raise Http404
    if not getattr(rights, right):
        raise PermissionDenied
    return consent, rights


@login_required
@require_POST
def consent_withdraw(request: SchoolRequest, pk: int) -> HttpResponse:
    consent, rights = _consent(request, pk, "data_write")
    assert request.school is not None  # the consent is the school's
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            privacy.consent_withdraw(
                actor=request.user, school=request.school, consent=consent, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
    if form.errors:
        problems = [str(m) for errors in form.errors.values() for m in errors]
        messages.error(request, " ".join(problems))
        return _card(request, consent.student, rights, status=400)
    messages.success(request, _("The consent is withdrawn."))
    return redirect(_back(consent.student))


@login_required
@require_GET
def consent_file(request: SchoolRequest, pk: int) -> HttpResponseBase:
    consent, _rights = _consent(request, pk, "data_read")
    if not consent.file:
        raise Http404
    assert request.school is not None
    privacy.reads_log(
        reader=request.user,
        school=request.school,
        kind=ReadKind.CONSENTS,
        students=[consent.student],
    )
    return stored_file_response(consent)


@login_required
@require_GET
def reads_page(request: SchoolRequest) -> HttpResponse:
    if not reads_log_visible(request.user, request.school):
        raise Http404
    assert request.school is not None
    form = ReadsFilter(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = privacy_selectors.reads(school=request.school, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "people/reads.html", context)
