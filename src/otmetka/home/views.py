"""The home page (one per role), switching the current school, and the site's icon."""

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from otmetka.access.http import SchoolRequest
from otmetka.access.middleware import SESSION_KEY
from otmetka.access.rules import operated_regions, schools_for
from otmetka.home.selectors import home_sections


@login_required
def home(request: SchoolRequest) -> HttpResponse:
    sections = home_sections(user=request.user, school=request.school)
    operator = bool(operated_regions(request.user))
    return render(
        request, "home/home.html", {"sections": sections, "keeps_region_calendar": operator}
    )


@login_required
@require_POST
def school_switch(request: SchoolRequest) -> HttpResponse:
    try:
        school_id = int(request.POST.get("school", ""))
    except ValueError:
        raise Http404 from None
    if not schools_for(request.user).filter(pk=school_id).exists():
        raise Http404
    request.session[SESSION_KEY] = school_id
    return redirect("home:home")


FAVICON = Path(__file__).parent / "static" / "home" / "favicon.ico"


@require_GET
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request: HttpRequest) -> FileResponse:
    """/favicon.ico, which browsers ask for on every site whatever the page links."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
