"""Forms of the curriculum's setup pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from otmetka.school.forms import SetupForm


class SubjectForm(SetupForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=50, required=False)
    position = forms.IntegerField(
        label=_("List position"), initial=100, help_text=_("Subjects are listed by this number.")
    )
