"""The home page (one per role) and switching the current school."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from otmetka.access.http import SchoolRequest
from otmetka.access.middleware import SESSION_KEY
from otmetka.access.rules import schools_for
from otmetka.home.selectors import home_sections


@login_required
def home(request: SchoolRequest) -> HttpResponse:
    sections = home_sections(user=request.user, school=request.school)
    return render(request, "home/home.html", {"sections": sections})


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
