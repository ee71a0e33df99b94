"""The parameters of an ЭлЖур call: query, form and JSON body merged, names matched without
case, values checked at the edge (a wrong one is an `EljurError`, never a server error)."""

import datetime
import json
import re
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.core.input import ID_MAX, text_problem

TRUE = {"1", "true", "yes", "__yes", "on"}
DAYS = re.compile(r"^(\d{8})-(\d{8})$")
MAX_DAYS = 120  # as /api/v1's diary ranges
MAX_VALUE = 20_000  # characters of one parameter (a message's text)


class EljurError(Exception):
    """A refused call: the envelope's `state` (and HTTP status) and the Russian `error`."""

    def __init__(self, state: int, error: str) -> None:
        super().__init__(error)
        self.state = state
        self.error = error


def _body(request: HttpRequest) -> dict[str, Any]:
    """A JSON object body, if the request has one (NiceEljurOpen's and ITI's `auth`)."""
    if "json" not in (request.content_type or "") or not request.body:
        return {}
    try:
        found = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise EljurError(400, _("The request body is not valid JSON in UTF-8.")) from None
    return found if isinstance(found, dict) else {}


def merged(request: HttpRequest) -> dict[str, str]:
    """Every parameter by lower-cased name (query, then form, then JSON body win in turn);
    values as strings (a JSON number or boolean as its text); `fid[]` style names lose `[]`."""
    found: dict[str, str] = {}
    sources: list[Any] = [request.GET.items()]
    if request.method == "POST" and "json" not in (request.content_type or ""):
        sources.append(request.POST.items())
    sources.append(_body(request).items())
    for items in sources:
        for key, value in items:
            name = str(key).lower().removesuffix("[]")
            if isinstance(value, bool):
                text = "true" if value else "false"
            elif isinstance(value, str | int | float):
                text = str(value)
            else:
                continue  # objects and lists: no parameter of ЭлЖур's is one
            if text_problem(text) or text_problem(name) or len(text) > MAX_VALUE:
                raise EljurError(
                    400, _("The parameter «%(name)s» cannot be read.") % {"name": name[:40]}
                )
            found[name] = text
    return found


def flag(params: dict[str, str], name: str) -> bool:
    """A boolean as ЭлЖур's clients send it: 1/true/yes/__yes/on (any case) are true."""
    return params.get(name, "").strip().lower() in TRUE


def number(params: dict[str, str], name: str, default: int, high: int) -> int:
    """A whole number from 1 to `high`, `default` when absent."""
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw[:12]) <= high:
        raise EljurError(400, _("The parameter «%(name)s» must be a number from 1 to %(high)s.")
                         % {"name": name, "high": high})  # fmt: skip
    return int(raw)


def student_id(params: dict[str, str]) -> int | None:
    """`student` (or `students`, one id) or None for "all my students"."""
    raw = (params.get("student") or params.get("students") or "").strip()
    if not raw:
        return None
    raw = raw.split(",")[0].strip()
    if not raw.isdigit() or not 0 < int(raw[:20]) <= ID_MAX:
        raise EljurError(404, _("No such student among yours."))
    return int(raw)


def ymd(value: str) -> datetime.date:
    """A date written YYYYMMDD."""
    try:
        return datetime.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise EljurError(400, _("A date must be written YYYYMMDD.")) from None


def days(params: dict[str, str]) -> tuple[datetime.date, datetime.date] | None:
    """The `days` range YYYYMMDD-YYYYMMDD, None when absent."""
    raw = params.get("days", "").strip()
    if not raw:
        return None
    matched = DAYS.match(raw)
    if not matched:
        raise EljurError(400, _("The parameter «days» must be YYYYMMDD-YYYYMMDD."))
    start, end = ymd(matched.group(1)), ymd(matched.group(2))
    if end < start or (end - start).days >= MAX_DAYS:
        raise EljurError(
            400,
            _("The date range must run forward and be at most %(days)s days long.")
            % {"days": MAX_DAYS},
        )
    return start, end


def this_week() -> tuple[datetime.date, datetime.date]:
    """Monday to Sunday of today's week (the range when `days` is absent)."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    return monday, monday + datetime.timedelta(days=6)
