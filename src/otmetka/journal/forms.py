"""Setup forms of the journal's tables: kinds of work and absence codes."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from otmetka.core.forms import SetupForm
from otmetka.journal.models import AbsenceCode


class MarkKindForm(SetupForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    short = forms.CharField(label=_("Abbreviation"), max_length=10, required=False)
    weight = forms.DecimalField(
        label=_("Weight"), max_digits=3, decimal_places=1, initial=Decimal("1"),
        help_text=_("How much a mark of this kind counts in the weighted average."),
    )  # fmt: skip
    is_written = forms.BooleanField(
        label=_("Written work"), required=False,
        help_text=_("Marks for written works have the 7-day deadline of the order."),
    )  # fmt: skip
    position = forms.IntegerField(label=_("Position in lists"), min_value=0, initial=100)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class AbsenceCodeForm(SetupForm):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Meaning"), max_length=100)
    reason = forms.ChoiceField(label=_("Kind of reason"), choices=AbsenceCode.Reason.choices)
    position = forms.IntegerField(label=_("Position in lists"), min_value=0, initial=100)
