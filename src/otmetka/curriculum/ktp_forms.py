"""Forms of the КТП pages. Forms only parse input; the services in `ktp` check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from otmetka.core.forms import RuDateField
from otmetka.core.input import CleanTextForm


class PlanImportForm(CleanTextForm):
    """A КТП file and whether it replaces the plan's current topics."""

    file = forms.FileField(label=_("File (XLSX or CSV)"))
    replace = forms.BooleanField(label=_("Replace existing topics"), required=False)


class TopicForm(CleanTextForm):
    """One topic of the plan."""

    title = forms.CharField(label=_("Lesson topic"), max_length=500)
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=100, initial=1)
    planned_date = RuDateField(label=_("Planned date"), required=False)
    work_kind = forms.CharField(label=_("Work kind or control"), max_length=100, required=False)


class TopicMoveForm(CleanTextForm):
    """The new number of a topic."""

    position = forms.IntegerField(label=_("New number"), min_value=1)


class PlanCopyForm(CleanTextForm):
    """The course to copy the plan from."""

    source = forms.IntegerField()
    replace = forms.BooleanField(label=_("Replace existing topics"), required=False)
