"""ETags of the diary's answers, cheap enough that an app polling every minute costs one
indexed read: the journal's last audit event (every change of a mark, absence, lesson, homework
or period mark writes one), today's date and the request's path. A change anywhere makes every
tag new — a few extra full answers, never a stale one."""

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from otmetka.audit.models import Event


def diary_etag(request: HttpRequest, student_id: int) -> str:
    """The tag of the diary's answer to `request` about the student, as of the last change."""
    last = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    key = f"{last}|{timezone.localdate()}|{student_id}|{request.get_full_path()}"
    return '"' + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32] + '"'


def not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    """304 when the client's If-None-Match names the current tag."""
    sent = request.headers.get("If-None-Match", "")
    if etag in [t.strip().removeprefix("W/") for t in sent.split(",")] or sent.strip() == "*":
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    return None
