"""Dates typed by people or carried in query strings, and spans of dates: "active on a day"."""

import datetime
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet

M = TypeVar("M", bound=models.Model)


def date_or(value: Any, default: datetime.date) -> datetime.date:
    """`value` read as YYYY-MM-DD or DD.MM.YYYY; `default` when it is neither."""
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value or "", fmt).date()
        except (ValueError, TypeError):
            continue
    return default


def d(day: datetime.date) -> str:
    """A date as Russian documents write it (ДД.ММ.ГГГГ)."""
    return day.strftime("%d.%m.%Y")


# --- spans: rows with a start and an end date (an empty end never ends) -------------------------


def active_on(day: Any, *, prefix: str = "", start: str = "start", end: str = "end") -> Q:
    """Rows (through `prefix`) whose span `start`..`end` covers `day`."""
    return Q(**{f"{prefix}{start}__lte": day}) & not_ended(day, prefix=prefix, end=end)


def active_during(
    first: Any, last: Any, *, prefix: str = "", start: str = "start", end: str = "end"
) -> Q:
    """Rows (through `prefix`) whose span meets the days `first`..`last`."""
    return Q(**{f"{prefix}{start}__lte": last}) & not_ended(first, prefix=prefix, end=end)


def not_ended(day: Any, *, prefix: str = "", end: str = "end") -> Q:
    """Rows (through `prefix`) whose span has not ended before `day` (started or not)."""
    return Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": day})


class SpanQuerySet(QuerySet[M]):
    """The rows of a model with a start/end span: `Model.objects.active_on(day)`. A subclass
    names other fields in `span` (a timetable slot's are valid_from/valid_to)."""

    span = ("start", "end")

    def active_on(self, day: Any) -> "SpanQuerySet[M]":
        """Rows active on `day`."""
        return self.filter(active_on(day, start=self.span[0], end=self.span[1]))

    def active_during(self, first: Any, last: Any) -> "SpanQuerySet[M]":
        """Rows active on some day of `first`..`last`."""
        return self.filter(active_during(first, last, start=self.span[0], end=self.span[1]))

    def not_ended(self, day: Any) -> "SpanQuerySet[M]":
        """Rows that have not ended before `day`."""
        return self.filter(not_ended(day, end=self.span[1]))
