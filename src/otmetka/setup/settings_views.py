"""The school's own settings, its local acts, the installation's status page and the region
operator's regional calendar."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otmetka.access.http import SchoolRequest
from otmetka.access.rules import CHANGE, access_object, can, operated_regions, require
from otmetka.access.rules import require_region as region_of_operator
from otmetka.core.forms import add_service_error
from otmetka.school import selectors, services
from otmetka.school.forms import LocalActForm, RegionOverrideForm, SchoolSettingsForm
from otmetka.school.models import LocalAct, Region, School
from otmetka.setup.status import system_status


@login_required
@require_http_methods(["GET", "POST"])
def school_settings(request: SchoolRequest) -> HttpResponse:
    school = require(request.user, request.school, "school")
    editable = can(request.user, school, "school", CHANGE)
    if request.method == "POST":
        require(request.user, school, "school", CHANGE)
    form = SchoolSettingsForm(
        request.POST or None, school=school, user=request.user, instance=school
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.school_settings_update(actor=request.user, school=school, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("setup:settings")
    context = {"form": form, "editable": editable, "school_obj": school}
    return render(request, "setup/settings.html", context)


@login_required
@require_GET
def status_page(request: SchoolRequest) -> HttpResponse:
    require(request.user, request.school, "system")
    context = {"checks": system_status(), "support_url": settings.OTMETKA_SUPPORT_URL}
    response = render(request, "setup/status.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def local_acts(request: SchoolRequest) -> HttpResponse:
    school = require(request.user, request.school, "localact")
    context = {
        "acts": selectors.local_act_rows(school=school),
        "can_change": can(request.user, school, "localact", CHANGE),
    }
    return render(request, "setup/local_acts.html", context)


def _act(request: SchoolRequest, pk: int | None) -> tuple[School, LocalAct | None]:
    """The school and the act to change (None: a new one); 404/403 as `access_object`."""
    school = require(request.user, request.school, "localact")
    if pk is None:
        require(request.user, school, "localact", CHANGE)
        return school, None
    rows = selectors.local_act_rows(school=school)
    return school, access_object(rows, request.user, school, "localact", pk, write=True)


@login_required
@require_http_methods(["GET", "POST"])
def local_act_edit(request: SchoolRequest, pk: int | None = None) -> HttpResponse:
    school, act = _act(request, pk)
    form = LocalActForm(
        request.POST or None,
        request.FILES or None,
        school=school,
        user=request.user,
        instance=act,
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "file"}
        try:
            services.local_act_save(
                actor=request.user,
                school=school,
                act=act,
                upload=form.cleaned_data["file"],
                **fields,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("setup:local_acts")
    return render(request, "setup/local_act_edit.html", {"form": form, "act": act})


@login_required
@require_GET
def local_act_file(request: SchoolRequest, pk: int) -> FileResponse:
    school = require(request.user, request.school, "localact")
    act = access_object(
        selectors.local_act_rows(school=school), request.user, school, "localact", pk
    )
    try:
        handle = act.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=act.name, content_type="application/pdf"
    )


@login_required
@require_GET
def region_index(request: SchoolRequest) -> HttpResponse:
    regions = list(selectors.operated_region_rows(region_ids=operated_regions(request.user)))
    if not regions:
        raise Http404
    if len(regions) == 1:
        return redirect("setup:region_calendar", region_id=regions[0].pk)
    return render(request, "setup/region_index.html", {"regions": regions})


def _region(request: SchoolRequest, region_id: int) -> Region:
    region_of_operator(request.user, region_id)
    region = selectors.operated_region_rows(region_ids={region_id}).first()
    if region is None:
        raise Http404
    return region


@login_required
@require_http_methods(["GET", "POST"])
def region_calendar(request: SchoolRequest, region_id: int) -> HttpResponse:
    region = _region(request, region_id)
    form = RegionOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.region_override_create(actor=request.user, region=region, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("setup:region_calendar", region_id=region.pk)
    rows = selectors.region_override_rows(region=region)
    shipped = services.regional_data_name(region) is not None
    context = {"region": region, "rows": rows, "form": form, "shipped": shipped}
    return render(request, "setup/region_calendar.html", context)


@login_required
@require_POST
def region_calendar_delete(request: SchoolRequest, region_id: int, pk: int) -> HttpResponse:
    region = _region(request, region_id)
    override = selectors.region_override_rows(region=region).filter(pk=pk).first()
    if override is None:
        raise Http404
    services.region_override_delete(actor=request.user, region=region, override=override)
    messages.success(request, _("The calendar change is removed."))
    return redirect("setup:region_calendar", region_id=region.pk)


@login_required
@require_POST
def region_calendar_load(request: SchoolRequest, region_id: int) -> HttpResponse:
    region = _region(request, region_id)
    name = services.regional_data_name(region)
    if name is None:
        raise Http404
    added = services.regional_days_load(actor=request.user, region=region, name=name)
    messages.success(request, _("Days added from the shipped data: %(n)s.") % {"n": added})
    return redirect("setup:region_calendar", region_id=region.pk)
