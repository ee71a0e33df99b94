"""Login, logout and password change."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from otmetka.accounts import services, tokens
from otmetka.accounts.forms import LoginForm, OtmetkaPasswordChangeForm, lockout_message
from otmetka.accounts.http import UserRequest


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        if form.cleaned_data["remember"]:
            request.session.set_expiry(datetime.timedelta(days=settings.LOGIN_REMEMBER_DAYS))
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = "home:home"
        return redirect(target or "home:home")
    status = 429 if form.is_bound and form.is_locked() else 200
    context = {"form": form, "demo": settings.OTMETKA_DEMO}
    return render(request, "accounts/login.html", context, status=status)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a locked login anywhere (the Django admin's form too) gets our
    login page with the Russian message and 429; our own view has already answered so."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    typed = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LoginForm(request, initial={"username": typed})
    context = {"form": form, "lockout": lockout_message(request, typed)}
    return render(request, "accounts/login.html", context, status=429)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    response = redirect("accounts:login")
    # What the journal kept on this device for offline entry (pages, the grids, unsent entries)
    # holds personal data: it goes with the session. Browsers do this in a secure context (HTTPS
    # or localhost); the login page also deletes the journal's store where they don't.
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: UserRequest) -> HttpResponse:
    form = OtmetkaPasswordChangeForm(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        school = getattr(request, "school", None)
        services.password_change(
            actor=request.user,
            new_password=form.cleaned_data["new_password1"],
            school_id=school.pk if school is not None else None,
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Password changed."))
        return redirect("home:home")
    forced = request.user.must_change_password
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


@login_required
@require_http_methods(["GET"])
def devices_view(request: UserRequest) -> HttpResponse:
    """«Мои устройства»: the user's API tokens (apps and scripts signed in as them)."""
    return render(request, "accounts/devices.html", {"tokens": tokens.tokens_of(request.user)})


def _token_id(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    return int(raw)


@login_required
@require_POST
def device_revoke_view(request: UserRequest, token_id: str) -> HttpResponse:
    """Sign one device out (its token stops working at once)."""
    tokens.token_revoke(actor=request.user, token_id=_token_id(token_id))
    messages.success(request, _("The device is signed out."))
    return redirect("accounts:devices")


@login_required
@require_POST
def device_write_view(request: UserRequest, token_id: str) -> HttpResponse:
    """Let one device send messages, or make it read-only again."""
    writable = request.POST.get("writable") == "1"
    tokens.token_set_writable(actor=request.user, token_id=_token_id(token_id), writable=writable)
    messages.success(request, _("Saved."))
    return redirect("accounts:devices")
