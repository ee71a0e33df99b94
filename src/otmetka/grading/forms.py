"""The marking policy form and the parsing of the period marks page's POST."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from otmetka.core.forms import model_choices
from otmetka.core.input import CleanTextForm
from otmetka.grading.models import MarkingPolicy
from otmetka.grading.services import POLICY_FIELDS
from otmetka.journal.models import MarkKind

ENTRY_PREFIXES = {"v": "value", "r": "na_reason", "b": "basis"}
MAX_ENTRIES = 200


class PolicyForm(CleanTextForm):
    """The school's (or a grade's) marking policy."""

    def __init__(self, *args: Any, school: Any, policy: MarkingPolicy, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {n: getattr(policy, n) for n in POLICY_FIELDS})
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(MarkingPolicy, fields=POLICY_FIELDS))
        kinds = model_choices(self, "attestation_kind")
        kinds.queryset = MarkKind.objects.filter(school=school, is_active=True)
        if policy.attestation_kind_id:
            self.initial["attestation_kind"] = policy.attestation_kind_id


def parse_entries(data: Any) -> dict[int, dict[str, str]]:
    """The page's fields v_<student>, r_<student>, b_<student> as entries by student id;
    ValueError on a malformed name or too many entries."""
    entries: dict[int, dict[str, str]] = {}
    for name in data:
        prefix, _sep, sid = name.partition("_")
        if prefix not in ENTRY_PREFIXES or not sid.isdigit() or len(sid) > 18:
            continue
        entries.setdefault(int(sid), {})[ENTRY_PREFIXES[prefix]] = data.get(name, "")
    if len(entries) > MAX_ENTRIES:
        raise ValueError(_("Too many entries in one request."))
    return {sid: e for sid, e in entries.items() if "value" in e}


def display_rows(rows: list, posted: dict[int, dict], errors: dict[int, str]) -> list[dict]:
    """The page's rows with the values to show: what was sent back on a refusal, else what is
    entered."""
    shown = []
    for row in rows:
        mark = row.mark
        sent = posted.get(row.id)
        entered = {
            "value": mark.value if mark else "",
            "na_reason": mark.na_reason if mark else "",
            "basis": mark.basis if mark else "",
        }
        shown.append({"row": row, **(sent or entered), "error": errors.get(row.id, "")})
    return shown
