"""Forms of a student's personal data pages: a consent, its withdrawal, the data confirmed
current, the nurse's health record, the filters of the read log."""

from django import forms
from django.utils.translation import gettext_lazy as _

from otmetka.core.forms import RuDateField
from otmetka.core.input import CleanTextForm
from otmetka.people.models import ConsentKind, HealthGroup, PEGroup


class ConsentForm(CleanTextForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ConsentKind.choices)
    signed_by = forms.CharField(
        label=_("Signed by"),
        max_length=300,
        help_text=_("The guardian (for a minor) or the student, full name."),
    )
    given_on = RuDateField(label=_("Date"))
    scope = forms.CharField(
        label=_("Scope"),
        max_length=500,
        required=False,
        help_text=_("Which data, for what purpose, for how long."),
    )
    file = forms.FileField(label=_("Scanned copy"), required=False)


class WithdrawForm(CleanTextForm):
    withdrawn_on = RuDateField(label=_("Withdrawn on"))


class ConfirmForm(CleanTextForm):
    birth_date = RuDateField(label=_("Date of birth"), required=False)
    document = forms.CharField(
        label=_("Identity document"),
        max_length=200,
        required=False,
        help_text=_("Birth certificate or passport: series and number."),
    )


class HealthForm(CleanTextForm):
    health_group = forms.ChoiceField(label=_("Health group"), choices=HealthGroup.choices)
    pe_group = forms.ChoiceField(label=_("PE group"), choices=PEGroup.choices)
    start = RuDateField(label=_("From"))
    end = RuDateField(label=_("Until"), required=False)
    basis = forms.CharField(
        label=_("Basis"),
        max_length=300,
        help_text=_("The medical document: its name, number, date."),
    )


class ReadsFilter(CleanTextForm):
    reader = forms.CharField(label=_("Who read"), max_length=100, required=False)
    student = forms.CharField(label=_("Student"), max_length=100, required=False)
    first = RuDateField(label=_("From"), required=False)
    last = RuDateField(label=_("To"), required=False)
