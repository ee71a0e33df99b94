"""КТП editing pages: import, topic editing, copying (the plan itself with its plan-vs-delivered
columns and its print are journal's `ktp_views`)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from otmetka.access import rules
from otmetka.access.http import SchoolRequest
from otmetka.core.forms import add_service_error
from otmetka.curriculum import ktp
from otmetka.curriculum.ktp_forms import PlanCopyForm, PlanImportForm, TopicForm, TopicMoveForm


def _writable(request: SchoolRequest, course_id: int) -> Any:
    return rules.plan_course_writable(user=request.user, school=request.school, course_id=course_id)


def _back(course: Any) -> HttpResponse:
    return redirect("ktp:plan", course_id=course.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_page(request: SchoolRequest, course_id: int) -> HttpResponse:
    course = _writable(request, course_id)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    errors: list[ktp.RowError] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = ktp.plan_import(
                actor=request.user,
                course=course,
                uploaded_file=form.cleaned_data["file"],
                replace=form.cleaned_data["replace"],
            )
        except ktp.PlanImportError as error:
            errors = error.report.errors
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Topics loaded: %(n)s.") % {"n": result.topics})
            return _back(course)
    context = {"course": course, "form": form, "errors": errors}
    return render(request, "curriculum/ktp/import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def topic_add(request: SchoolRequest, course_id: int) -> HttpResponse:
    course = _writable(request, course_id)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ktp.plan_topic_add(actor=request.user, course=course, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return _back(course)
    return render(request, "curriculum/ktp/topic.html", {"course": course, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def topic_edit(request: SchoolRequest, course_id: int, topic_id: int) -> HttpResponse:
    course = _writable(request, course_id)
    topic = ktp.topic_of(course=course, topic_id=topic_id)
    initial = {
        "title": topic.title,
        "hours": topic.hours,
        "planned_date": topic.planned_date,
        "work_kind": topic.work_kind,
    }
    form = TopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            ktp.plan_topic_change(actor=request.user, topic=topic, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return _back(course)
    context = {"course": course, "form": form, "topic": topic, "move": TopicMoveForm()}
    return render(request, "curriculum/ktp/topic.html", context)


@login_required
@require_POST
def topic_move(request: SchoolRequest, course_id: int, topic_id: int) -> HttpResponse:
    course = _writable(request, course_id)
    topic = ktp.topic_of(course=course, topic_id=topic_id)
    form = TopicMoveForm(request.POST)
    if form.is_valid():
        ktp.plan_topic_move(actor=request.user, topic=topic, position=form.cleaned_data["position"])
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Write the new number of the topic."))
    return _back(course)


@login_required
@require_POST
def topic_delete(request: SchoolRequest, course_id: int, topic_id: int) -> HttpResponse:
    course = _writable(request, course_id)
    topic = ktp.topic_of(course=course, topic_id=topic_id)
    try:
        ktp.plan_topic_delete(actor=request.user, topic=topic)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Topic deleted."))
    return _back(course)


@login_required
@require_http_methods(["GET", "POST"])
def plan_copy_page(request: SchoolRequest, course_id: int) -> HttpResponse:
    course = _writable(request, course_id)
    sources = ktp.copy_sources(user=request.user, course=course)
    form = PlanCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source = ktp.copy_source(
            user=request.user, course=course, source_id=form.cleaned_data["source"]
        )
        try:
            n = ktp.plan_copy(
                actor=request.user,
                source_course=source,
                target_course=course,
                replace=form.cleaned_data["replace"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Topics copied: %(n)s.") % {"n": n})
            return _back(course)
    context = {"course": course, "sources": sources, "form": form}
    return render(request, "curriculum/ktp/copy.html", context)
