"""Dates typed by people or carried in query strings."""

import datetime
from typing import Any


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
