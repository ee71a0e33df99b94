"""Checks of untrusted input shared by every HTML form and API schema: text that no database
stores alike (NUL, lone surrogates) and ids outside the databases' 64-bit integers."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _

ID_MAX = 2**63 - 1  # the largest BIGINT of PostgreSQL and INTEGER of SQLite
_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str) -> str:
    """The Russian reason a text cannot be stored, or "" when it can: PostgreSQL refuses NUL
    (SQLite keeps it) and neither can encode half of a surrogate pair."""
    found = _BAD_CHARACTER.search(value)
    if found is None:
        return ""
    if found.group() == "\x00":
        return _("The text contains a forbidden character (NUL).")
    return _("The text contains a forbidden character (half of a surrogate pair).")


def text_check(value: Any) -> Any:
    """Return the value when every text in it can be stored; a ValueError with the Russian
    reason otherwise (pydantic turns it into a validation error). Looks into lists and dicts."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise ValueError(problem)
    elif isinstance(value, list | tuple | set):
        for item in value:
            text_check(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            text_check(key)
            text_check(item)
    return value


class CleanTextForm(forms.Form):
    """A form that refuses NUL and lone surrogates sent in any field, with one Russian message,
    after its own cleaning (so neither a field's own check nor a subclass's `clean()` hides it)."""

    def full_clean(self) -> None:
        """Clean as usual, then refuse the fields whose sent text could not be stored."""
        super().full_clean()
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            try:
                text_check(raw if isinstance(raw, str | list | tuple) else "")
            except ValueError as exc:
                self.errors[name] = self.error_class([str(exc)], renderer=self.renderer)
                self.cleaned_data.pop(name, None)


def int_or(value: Any, default: int) -> int:
    """`value` as an integer (a query-string or form field); `default` when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
