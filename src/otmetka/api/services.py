"""Idempotent writes of the API: a retry with the same Idempotency-Key gets the first answer."""

import datetime
import hashlib
import re
from collections.abc import Callable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils import timezone

from otmetka.accounts.http import UserRequest
from otmetka.api.models import IdempotentRequest
from otmetka.journal.validation import api_message

KEY_HEADER = "Idempotency-Key"
# The header as WSGI gives it: read from `META`, a write builds no `request.headers` (a dict of
# every header, made on first use) to look for it.
_KEY_META = "HTTP_" + KEY_HEADER.upper().replace("-", "_")
KEY_LIFETIME = datetime.timedelta(hours=24)
_KEY = re.compile(r"[\x21-\x7e]{1,100}")  # visible ASCII: a UUID, a ULID, a counter


class IdempotencyConflict(Exception):
    """The key was used for a different request (422) or its first request still runs (409)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _fingerprint(request: HttpRequest) -> str:
    """A hash of what the request asks: method, path and body (for multipart: the fields and
    each file's name and content)."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type == "multipart/form-data":
        for name, values in sorted(request.POST.lists()):
            digest.update(repr((name, values)).encode())
        for name, last in sorted(request.FILES.items()):
            upload = cast("UploadedFile[Any]", last)  # items() gives each field's last file
            digest.update(repr((name, upload.name, upload.size)).encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def idempotency_key(request: HttpRequest) -> str | None:
    """The request's Idempotency-Key header, if it has one."""
    return request.META.get(_KEY_META)


class Once:
    """The Idempotency-Key of one write request: the first answer to replay, or a recorder to
    store this answer in the write's own transaction (one query to look up, one to store; none
    without the header)."""

    def __init__(self, request: UserRequest) -> None:
        self.request = request
        self.body: dict[str, Any] | None = None
        self.key = idempotency_key(request)
        if self.key is not None and not _KEY.fullmatch(self.key):
            raise ValidationError(api_message("idempotency_key"))
        self.fingerprint = _fingerprint(request) if self.key else ""

    def replay(self) -> IdempotentRequest | None:
        """The stored first answer to this key; IdempotencyConflict for another request."""
        if self.key is None:
            return None
        found = IdempotentRequest.objects.filter(user=self.request.user, key=self.key).first()
        if found is not None and found.fingerprint != self.fingerprint:
            raise IdempotencyConflict(422, api_message("idempotency_reused"))
        return found

    def recorder(self, answer: Callable[[Any], dict[str, Any]]) -> Callable[[Any], None] | None:
        """A callback for a service's `on_saved`: builds the answer from the service's result
        and stores it (nothing without the header)."""
        key = self.key
        if key is None:
            return None

        def record(result: Any) -> None:
            self.body = answer(result)
            IdempotentRequest.objects.create(
                user=self.request.user,
                key=key,
                target=f"{self.request.method} {self.request.path}"[:300],
                fingerprint=self.fingerprint,
                status=200,
                body=self.body,
            )

        return record


def idempotency_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the stored answers older than a day; the number deleted."""
    cutoff = (now or timezone.now()) - KEY_LIFETIME
    deleted, _by_model = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
