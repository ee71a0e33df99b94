"""Login throttling on django-axes: a lock per login + IP pair, and a larger limit per IP.

axes counts failures per `AXES_LOCKOUT_PARAMETERS` combination against one limit; it has no
per-parameter limits, so the per-IP limit (`LOGIN_IP_FAILURE_LIMIT`, for a sprayer trying many
logins from one address) is added here, in the handler. The handler also writes failed logins,
lockouts and successful logins to the audit trail, since it sees every one of them (our form and
the Django admin both go through `authenticate`)."""

import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from otmetka.accounts import services
from otmetka.accounts.selectors import login_normalise


def failure_limit(request: HttpRequest | None, credentials: dict | None) -> int:
    """AXES_FAILURE_LIMIT: failures of one login from one address before it is locked."""
    return settings.LOGIN_FAILURE_LIMIT


def cool_off(request: HttpRequest | None = None) -> datetime.timedelta:
    """AXES_COOLOFF_TIME: how long a lock lasts after the last failure."""
    return datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def axes_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the normalised login, so every spelling shares one counter."""
    typed = credentials.get("username") if credentials else request.POST.get("username")
    return login_normalise(typed)[:255] if typed is not None else None


def _recent_from_address(ip_address: str | None) -> QuerySet:
    """The failure rows of one address still inside the cool-off window."""
    since = timezone.now() - cool_off()
    return AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)


def lockout_end(request: HttpRequest, typed_login: str) -> datetime.datetime:
    """When the lock on this login from this address ends (an upper bound for an address lock)."""
    recent = _recent_from_address(getattr(request, "axes_ip_address", None))
    pair = recent.filter(username=login_normalise(typed_login)).aggregate(
        n=Sum("failures_since_start"), last=Max("attempt_time")
    )
    if (pair["n"] or 0) >= settings.LOGIN_FAILURE_LIMIT:
        last = pair["last"]
    else:
        last = recent.aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + cool_off()


class LoginThrottleHandler(AxesDatabaseHandler):
    """axes' database handler with a per-address limit and audit events on top."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """Failures of the login + address pair; at least the limit once the address is over its
        own (larger) limit, so that every login from it is refused until the window passes."""
        pair = super().get_failures(request, credentials)
        ip = request.axes_ip_address  # type: ignore[attr-defined]  # set by axes' middleware
        from_address = _recent_from_address(ip).aggregate(n=Sum("failures_since_start"))["n"]
        if (from_address or 0) >= settings.LOGIN_IP_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        """Count the failure; audit it (and the lockout it caused) unless a lock refused it."""
        refused = bool(getattr(request, "axes_locked_out", False))  # set by axes' backend
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not refused:
            services.login_failure_record(
                login=get_client_username(request, credentials) or "",
                locked=bool(request.axes_locked_out),  # type: ignore[attr-defined]  # by axes
            )

    def user_logged_in(self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        """Reset the pair's failures; audit a login made with a password (a POST to a login
        form), not a programmatic one such as the test client's force_login."""
        super().user_logged_in(sender, request, user, **kwargs)
        if request is not None and request.method == "POST":
            services.login_record(user=user, request=request)
