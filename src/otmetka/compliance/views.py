"""Pages of the deadline engine. Parse → access → one selector or service → render."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otmetka.access import compliance as access
from otmetka.access.http import SchoolRequest
from otmetka.access.rules import teachers_of
from otmetka.compliance import selectors, services
from otmetka.compliance.forms import AbsenceForm, NoPcForm, RuleForm
from otmetka.core.input import ID_MAX


def _read_require(request: SchoolRequest) -> None:
    if not access.reads_compliance(request.user, request.school):
        raise Http404


def _write(request: SchoolRequest, form: Any, service: Any, done: str, **rename: str) -> bool:
    """Run the service with the form's data (fields renamed as asked); a refusal goes to the
    form."""
    if not form.is_valid():
        return False
    data = {rename.get(k, k): v for k, v in form.cleaned_data.items()}
    try:
        service(actor=request.user, school=request.school, **data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, done)
    return True


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: SchoolRequest) -> HttpResponse:
    """The school's deadline rules (the order's defaults) and their versions; the deputy
    changes one from a date on."""
    _read_require(request)
    form = RuleForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST":
        access.rules_write_require(request.user, request.school)
        if _write(request, form, services.rule_change, _("The rule is changed.")):
            return redirect("compliance:rules")
    context = {
        "rows": selectors.rules_table(request.school),  # type: ignore[arg-type]
        "form": form,
        "can_write": access.writes_compliance(request.user, request.school),
    }
    return render(request, "compliance/rules.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def absences(request: SchoolRequest) -> HttpResponse:
    """Teachers' absences (illness, leave) and the catch-up window of each; the deputy records."""
    _read_require(request)
    teachers = [(u.pk, u.full_name or u.username) for u in teachers_of(request.school)]
    form = AbsenceForm(request.POST or None, teachers=teachers)
    if request.method == "POST":
        access.absences_write_require(request.user, request.school)
        done = _("The absence is recorded.")
        if _write(request, form, services.absence_record, done, teacher="teacher_id"):
            return redirect("compliance:absences")
    school = request.school
    assert school is not None
    rows = [(a, selectors.absence_window(school, a)) for a in selectors.absences_of(school)]
    context = {"rows": rows, "form": form,
               "can_write": access.writes_compliance(request.user, school)}  # fmt: skip
    return render(request, "compliance/absences.html", context, status=400 if form.errors else 200)


def _id(value: int) -> int:
    if value > ID_MAX:
        raise Http404
    return value


@login_required
@require_POST
def absence_cancel(request: SchoolRequest, absence_id: int) -> HttpResponse:
    """Cancel an absence recorded by mistake (the deputy)."""
    done = _("The absence is cancelled.")
    return _withdraw(request, services.absence_cancel, {"absence_id": absence_id}, done)


def _withdraw(request: SchoolRequest, service: Any, ids: dict[str, int], done: str) -> HttpResponse:
    """Run a deputy's withdrawing service on a row; 404 for a missing or foreign one."""
    access.absences_write_require(request.user, request.school)
    try:
        service(actor=request.user, school=request.school, **{k: _id(v) for k, v in ids.items()})
    except ValidationError:
        raise Http404 from None
    messages.success(request, done)
    return redirect("compliance:absences" if "absence_id" in ids else "compliance:no_pc")


@login_required
@require_http_methods(["GET", "POST"])
def no_pc(request: SchoolRequest) -> HttpResponse:
    """Days without PC/Internet: a teacher declares theirs; the deputy and the director see
    every declaration (the deputy revokes)."""
    reader = access.reads_compliance(request.user, request.school)
    declarer = access.declares_no_pc(request.user, request.school)
    if not (reader or declarer):
        raise Http404
    form = NoPcForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST":
        if not declarer:
            raise Http404
        done = _("The day is declared: its entries are due in 3 working days.")
        if _write(request, form, services.no_pc_declare, done):
            return redirect("compliance:no_pc")
    school = request.school
    assert school is not None
    context = {
        "mine": selectors.no_pc_days_of(school, teacher=request.user) if declarer else [],
        "all": selectors.no_pc_days_of(school) if reader else [],
        "form": form if declarer else None,
        "can_revoke": access.writes_compliance(request.user, school),
        "can_see_all": reader,  # an empty school list says so to those who read it
    }
    return render(request, "compliance/no_pc.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def no_pc_revoke(request: SchoolRequest, declaration_id: int) -> HttpResponse:
    """The deputy revokes a declaration."""
    done = _("The declaration is revoked.")
    return _withdraw(request, services.no_pc_revoke, {"declaration_id": declaration_id}, done)


@login_required
@require_GET
def gaps(request: SchoolRequest) -> HttpResponse:
    """A teacher's own open entries with the deadline of each."""
    if not access.declares_no_pc(request.user, request.school):
        raise Http404
    found = selectors.teacher_gaps(user=request.user, school=request.school)  # type: ignore[arg-type]
    return render(request, "compliance/gaps.html", {"gaps": found})


def _week(request: SchoolRequest) -> tuple[datetime.date, datetime.date]:
    start, end = selectors.last_week(timezone.localdate())
    asked = request.GET.get("week", "")
    if asked:
        try:
            day = datetime.date.fromisoformat(asked)
        except ValueError:
            raise Http404 from None
        start = day - datetime.timedelta(days=day.weekday())
        end = start + datetime.timedelta(days=6)
    return start, end


@login_required
@require_GET
def region(request: SchoolRequest) -> HttpResponse:
    """The region/district viewer's dashboard: per school the share of the week's lessons with
    topic, attendance and marks entered on time; sortable; districts' rollup."""
    if not access.dashboard_schools(request.user).exists():
        raise Http404
    start, end = _week(request)
    sort, desc = request.GET.get("sort", "name"), request.GET.get("desc") == "1"
    schools, districts = selectors.region_dashboard(
        user=request.user, start=start, end=end, sort=sort, desc=desc
    )
    context = {"schools": schools, "districts": districts, "start": start, "end": end,
               "sort": sort, "desc": desc, "sorts": selectors.SORTS}  # fmt: skip
    return render(request, "compliance/region.html", context)


@login_required
@require_GET
def region_school(request: SchoolRequest, school_id: int) -> HttpResponse:
    """One school's weekly trend on the viewer's dashboard."""
    try:
        school, trend = selectors.school_trend(
            user=request.user, school_id=_id(school_id), today=timezone.localdate()
        )
    except LookupError:
        raise Http404 from None
    return render(request, "compliance/region_school.html", {"school": school, "trend": trend})
