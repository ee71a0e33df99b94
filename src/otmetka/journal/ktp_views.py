"""The КТП plan pages with the plan-vs-delivered columns (journal's progress over the lessons):
the plan and its print. The editing pages are curriculum's `ktp_views`."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from otmetka.access import rules
from otmetka.access.http import SchoolRequest
from otmetka.journal import progress


@login_required
@require_GET
def plan_page(request: SchoolRequest, course_id: int) -> HttpResponse:
    course = rules.plan_course_readable(
        user=request.user, school=request.school, course_id=course_id
    )
    context = {
        "course": course,
        "report": progress.plan_vs_delivered(course=course),
        "can_write": rules.plan_writable(user=request.user, course=course),
    }
    return render(request, "curriculum/ktp/plan.html", context)


@login_required
@require_GET
def plan_print(request: SchoolRequest, course_id: int) -> HttpResponse:
    course = rules.plan_course_readable(
        user=request.user, school=request.school, course_id=course_id
    )
    report = progress.plan_vs_delivered(course=course)
    return render(request, "curriculum/ktp/print.html", {"course": course, "report": report})
