"""Forms of the school setup pages. Forms only parse input; services validate the rules."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from otmetka.access.rules import staff_now
from otmetka.core.forms import RuDateField, SetupForm, choice_field, model_choices
from otmetka.core.input import CleanTextForm
from otmetka.school.models import (
    AcademicYear,
    DayKind,
    LocalAct,
    LocalActKind,
    Period,
    PeriodScheme,
    School,
    SchoolClass,
)


def year_choices(school: School) -> QuerySet[AcademicYear]:
    """Years of the school, newest first."""
    return AcademicYear.objects.filter(school=school).order_by("-start")


class YearForm(SetupForm):
    name = forms.CharField(label=_("Name"), max_length=20, help_text=_("For example 2026/2027."))
    start = RuDateField(label=_("First day"))
    end = RuDateField(label=_("Last day"))


class PeriodForm(SetupForm[Period]):
    year = forms.ModelChoiceField(label=_("Academic year"), queryset=AcademicYear.objects.none())
    scheme = forms.ChoiceField(label=_("Scheme"), choices=PeriodScheme.choices)
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=4)
    start = RuDateField(label=_("First day"))
    end = RuDateField(label=_("Last day"))
    journal_closed = forms.BooleanField(
        label=_("Journal closed"),
        required=False,
        help_text=_(
            "Closed: teachers no longer change marks of this period; the deputy corrects "
            "them stating the reason."
        ),
    )

    def setup_fields(self) -> None:
        model_choices(self, "year").queryset = year_choices(self.school)

    def initial_from(self, obj: Period) -> dict[str, Any]:
        return {**super().initial_from(obj), "journal_closed": obj.closed_at is not None}


class VacationForm(SetupForm):
    year = forms.ModelChoiceField(label=_("Academic year"), queryset=AcademicYear.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100)
    start = RuDateField(label=_("First day"))
    end = RuDateField(label=_("Last day"))
    min_grade = forms.IntegerField(label=_("From grade"), initial=1)
    max_grade = forms.IntegerField(label=_("To grade"), initial=11)

    def setup_fields(self) -> None:
        model_choices(self, "year").queryset = year_choices(self.school)


class OverrideForm(SetupForm):
    date = RuDateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200)
    min_grade = forms.IntegerField(label=_("From grade"), initial=1)
    max_grade = forms.IntegerField(label=_("To grade"), initial=11)


class ClassForm(SetupForm):
    year = forms.ModelChoiceField(label=_("Academic year"), queryset=AcademicYear.objects.none())
    grade = forms.IntegerField(label=_("Grade"))
    letter = forms.CharField(
        label=_("Letter"), max_length=4, help_text=_("One capital letter: А, Б, В…")
    )
    homeroom_teacher = forms.ModelChoiceField(
        label=_("Homeroom teacher"), queryset=SchoolClass.objects.none(), required=False
    )
    period_scheme = forms.ChoiceField(label=_("Period scheme"), choices=PeriodScheme.choices)
    week_days = forms.TypedChoiceField(
        label=_("Days a week"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("as the school's default")), (5, _("5 days")), (6, _("6 days"))],
    )

    def setup_fields(self) -> None:
        model_choices(self, "year").queryset = year_choices(self.school)
        model_choices(self, "homeroom_teacher").queryset = staff_now(self.school)
        # A per-instance label, as Django's docs allow for a field built elsewhere.
        teacher = model_choices(self, "homeroom_teacher")
        teacher.label_from_instance = lambda u: u.full_name  # type: ignore[method-assign,assignment]


class SchoolSettingsForm(SetupForm[School]):
    name = forms.CharField(label=_("The school's full name"), max_length=400)
    short_name = forms.CharField(label=_("The school's short name"), max_length=200)
    time_zone = forms.ChoiceField(
        label=_("Time zone"), help_text=_("Dates and times of lessons are shown in it.")
    )
    six_day_from_grade = forms.IntegerField(
        label=_("Six-day week from grade"),
        min_value=0,
        max_value=11,
        help_text=_(
            "New classes of this grade and above study six days a week; 0 means none. "
            "Each class keeps its own week on the class's page."
        ),
    )
    period_close_after_days = forms.IntegerField(
        label=_("The journal closes days after the period"),
        required=False,
        min_value=0,
        max_value=60,
        help_text=_("Empty: the journal closes only when the deputy closes it."),
    )

    def setup_fields(self) -> None:
        from otmetka.school.services import TIME_ZONES

        choice_field(self, "time_zone").choices = [(z, z) for z in TIME_ZONES]


class RegionOverrideForm(CleanTextForm):
    date = RuDateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200)
    min_grade = forms.IntegerField(label=_("From grade"), initial=1, min_value=1, max_value=11)
    max_grade = forms.IntegerField(label=_("To grade"), initial=11, min_value=1, max_value=11)


class LocalActForm(SetupForm[LocalAct]):
    kind = forms.ChoiceField(label=_("Kind"), choices=LocalActKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    number = forms.CharField(label=_("Number"), max_length=50, required=False)
    approved_on = RuDateField(label=_("Approved on"))
    effective_from = RuDateField(label=_("In force from"), required=False)
    file = forms.FileField(
        label=_("The act (PDF)"),
        required=False,
        help_text=_("A PDF of up to 20 MB; when changing an act, leave empty to keep its file."),
    )
