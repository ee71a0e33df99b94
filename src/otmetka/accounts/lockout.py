"""Lockout after repeated failed logins, per login name, shared by all app processes."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from otmetka.accounts.models import LoginFailure


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def locked_until(username: str) -> datetime.datetime | None:
    """When the lock on this login name ends, or None if it is not locked now."""
    row = LoginFailure.objects.filter(username=_key(username)).only("locked_until").first()
    if row and row.locked_until and row.locked_until > timezone.now():
        return row.locked_until
    return None


def failure_register(username: str) -> datetime.datetime | None:
    """Count one failure; lock the name once the limit is reached. Returns the lock end, if any."""
    now = timezone.now()
    with transaction.atomic():
        row, _ = LoginFailure.objects.select_for_update().get_or_create(username=_key(username))
        if row.locked_until and row.locked_until <= now:
            row.failures = 0  # an expired lock starts a fresh count
        row.failures += 1  # the row is locked, so a plain increment is safe
        row.last_failure_at = now
        row.save(update_fields=["failures", "last_failure_at"])
        if row.failures >= settings.LOGIN_FAILURE_LIMIT:
            row.locked_until = now + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            row.save(update_fields=["locked_until"])
            return row.locked_until
    return None


def success_register(username: str) -> None:
    LoginFailure.objects.filter(username=_key(username)).delete()
