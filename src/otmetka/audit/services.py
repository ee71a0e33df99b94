"""Writing audit events. Call `event_record` inside the transaction of the change it describes."""

import contextvars
import datetime
import decimal
import ipaddress
from collections.abc import Callable
from typing import Any, NotRequired, TypedDict, TypeVar, Unpack

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse

from otmetka.audit.chain import chain_fill
from otmetka.audit.models import Event
from otmetka.core.rows import instance, rows_insert
from otmetka.core.validation import Errors, fail_if

M = TypeVar("M", bound=models.Model)

_client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)


def request_ip() -> str | None:
    """The client's address of the request being served (None outside a request)."""
    return _client_ip.get()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of a row, JSON-ready (foreign keys as ids)."""
    return {f.attname: _jsonable(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}


class EventFields(TypedDict):
    """The fields of an event (`event_build`, `event_record`)."""

    actor: Any  # a user, anonymous or None (accounts is above audit: any user object)
    action: str
    obj: models.Model
    before: NotRequired[dict[str, Any] | None]
    after: NotRequired[dict[str, Any] | None]
    reason: NotRequired[str]
    school_id: NotRequired[int | None]
    group: NotRequired[str]


def event_build(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    school_id: int | None = None,
    group: str = "",
) -> Event:
    """An event not yet saved, for writes in bulk (`events_save`); the client IP comes from the
    request being served, if any."""
    if school_id is None:
        school_id = getattr(obj, "school_id", None)
    return instance(
        Event,
        school_id=school_id,
        actor_id=getattr(actor, "pk", None) or None,  # the id: no descriptor's checks per event
        ip=_client_ip.get(),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
        reason=reason,
        group_key=group,
    )


def events_save(events: list[Event], heads: dict[int, str] | None = None) -> None:
    """Append built events in one INSERT (call inside the transaction of the change), chained:
    one query more (`audit.chain.chain_fill`; a hand-written multi-row INSERT calls it too), none
    for a school whose head the caller read (`heads`, see `chain_fill`)."""
    if not events:
        return
    chain_fill(events, heads)
    rows_insert(events)


def event_record(**fields: Unpack[EventFields]) -> Event:
    """Append one event now (the fields of `event_build`); the client IP comes from the request
    being served, if any."""
    event = event_build(**fields)
    if transaction.get_connection().in_atomic_block:
        chain_fill([event])
        event.save()
        return event
    with transaction.atomic():  # the chain's lock lasts until the event is in
        chain_fill([event])
        event.save()
    return event


def save_audited(
    *, actor: Any, obj: models.Model, action: str, before: dict[str, Any] | None
) -> None:
    """Save the row and append its audit event (call inside the transaction)."""
    obj.save()
    event_record(actor=actor, action=action, obj=obj, before=before, after=snapshot(obj))


def row_save(
    *,
    actor: Any,
    obj: M,
    kind: str,
    fields: dict[str, Any],
    problems: Callable[[], Errors] | None = None,
) -> M:
    """Create or update one row (the fields set on `obj`) with its audit event `<kind>_create`
    or `<kind>_update`, in one transaction. `problems()` runs inside it, where a uniqueness or
    clash check guards against a concurrent save; any problem raises ValidationError with
    nothing changed."""
    with transaction.atomic():
        if problems is not None:
            fail_if(problems())
        before = snapshot(obj) if obj.pk else None
        action = f"{kind}_update" if obj.pk else f"{kind}_create"
        for name, value in fields.items():
            setattr(obj, name, value)
        save_audited(actor=actor, obj=obj, action=action, before=before)
    return obj


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    """The part of `before` that differs from `after` (for compact events)."""
    if before is None:
        return {}
    return {k: v for k, v in before.items() if after.get(k) != v}


def _trusted(address: str) -> bool:
    """Whether `address` is one of the reverse proxies named in TRUSTED_PROXIES."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as Otmetka sees it: audit events and login throttling use this one.

    The connecting address, unless it is a trusted reverse proxy: then the right-most address
    of X-Forwarded-For that is not a trusted proxy (the left part is whatever the client sent)."""
    address: str | None = request.META.get("REMOTE_ADDR") or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if address is None or not forwarded or not _trusted(address):
        return address
    for hop in reversed([h.strip() for h in forwarded.split(",")]):
        if not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return address  # a malformed header: keep the proxy's own address
    return address


class ClientIPMiddleware:
    """Remembers the client's address for the audit events of this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _client_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
