"""The one view of the ЭлЖур layer: `/apiv3/<method>` and `/api/<method>` (GET or POST, any
case, trailing slash or not). It reads the parameters, checks `out_format` and `devkey`, signs
in (`auth`) or finds the caller by `auth_token`, runs the method and wraps the answer in
ЭлЖур's envelope; every refusal is the envelope with a Russian `error` and HTTP status = state."""

from collections.abc import Callable
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError as PydanticValidationError

from otmetka.accounts import tokens
from otmetka.api.account import issue
from otmetka.api.auth import chosen_school, token_request
from otmetka.api.services import IdempotencyConflict

from . import diary, messages
from .params import EljurError, merged

Method = Callable[[HttpRequest, dict[str, str]], Any]
METHODS: dict[str, Method] = {
    "getrules": diary.getrules,
    "getperiods": diary.getperiods,
    "getdiary": diary.getdiary,
    "newgetdiary": diary.getdiary,
    "getschedule": diary.getschedule,
    "gethomework": diary.gethomework,
    "getmarks": diary.getmarks,
    "newgetmarks": diary.getmarks,
    "getfinalassessments": diary.getfinalassessments,
    "getmessages": messages.getmessages,
    "getmessageinfo": messages.getmessageinfo,
    "getmessagereceivers": messages.getmessagereceivers,
    "sendmessage": messages.sendmessage,
    "sendreplymessage": messages.sendreplymessage,
}
WRITES = {"sendmessage", "sendreplymessage"}
# Menus and adverts the apps ask for: an empty success, so they carry on.
EMPTY = {"getadvertising", "getadvertisingnew", "getextraitemsmenu"}


def envelope(state: int, error: str | None, result: Any) -> HttpResponse:
    """ЭлЖур's envelope, UTF-8 JSON; the HTTP status is the state."""
    body = {"response": {"state": state, "error": error, "result": result}}
    return HttpResponse(orjson.dumps(body), status=state, content_type="application/json")


def _check_client(params: dict[str, str]) -> None:
    if params.get("out_format", "json").strip().lower() not in ("json", ""):
        raise EljurError(400, _("Only out_format=json is served."))
    allowed = settings.ELJUR_DEVKEYS
    if allowed and params.get("devkey", "") not in allowed:
        raise EljurError(403, _("The developer key (devkey) is not accepted here."))


def _auth(request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    """`auth`: login and password → a token and its expiry (YYYY-MM-DD HH:MM:SS)."""
    device = " ".join(p for p in ("ЭлЖур", params.get("vendor", "")[:40]) if p)
    try:
        raw, token = issue(
            request,
            login=params.get("login", "")[:150],
            password=params.get("password", "")[:1000],
            device=device,
        )
    except tokens.SignInRefused as exc:
        raise EljurError(exc.status, exc.message) from None
    expires = timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M:%S")
    return {"token": raw, "expires": expires}


def _call(request: HttpRequest, name: str) -> Any:
    params = merged(request)
    _check_client(params)
    if name == "auth":
        return _auth(request, params)
    method = METHODS.get(name)
    if method is None and name not in EMPTY:
        raise EljurError(404, _("Unknown method «%(name)s».") % {"name": name[:60]})
    # ЭлЖур's `vendor` names the school (its subdomain); here the school's number, as «Мои
    # устройства» shows it (`school`, Otmetka's own, wins). Anything else: the first school.
    school = chosen_school(params.get("school") or params.get("vendor"))
    needs_school = name == "getrules" or method is None or method.__module__ == messages.__name__
    token = token_request(
        request, params.get("auth_token", "").strip(), school, needs_school=needs_school
    )
    if token is None:
        raise EljurError(403, _("The token is invalid or has expired: sign in again."))
    if name in WRITES and not token.writable:
        raise EljurError(
            403,
            _("This device may only read. Allow it to send messages on the «My devices» page."),
        )
    return {} if method is None else method(request, params)


@csrf_exempt  # no cookie authenticates here: the token is a parameter
def call(request: HttpRequest, method: str) -> HttpResponse:
    """Any ЭлЖур method."""
    if request.method not in ("GET", "POST"):
        return envelope(405, _("Use GET or POST."), {})
    try:
        return envelope(200, None, _call(request, method.strip("/").lower()))
    except EljurError as exc:
        return envelope(exc.state, exc.error, {})
    except Http404:
        return envelope(404, _("Not found."), {})
    except PermissionDenied as exc:
        return envelope(403, str(exc) or _("Not allowed."), {})
    except DjangoValidationError as exc:
        return envelope(400, exc.messages[0], {})
    except (PydanticValidationError, ValueError):
        return envelope(400, _("The request is malformed."), {})
    except IdempotencyConflict as exc:
        return envelope(exc.status, str(exc), {})
