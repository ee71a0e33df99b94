"""Forms of the deadline engine's pages (parse and check input; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from otmetka.compliance.deadlines import ALL_KINDS
from otmetka.compliance.models import Anchor, Entity, OffsetKind, TeacherAbsence
from otmetka.core.input import CleanTextForm
from otmetka.curriculum.models import CourseKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RuleForm(CleanTextForm):
    key = forms.SlugField(label=_("rule"), max_length=40)
    entity = forms.ChoiceField(label=_("entry"), choices=Entity.choices)
    anchor = forms.ChoiceField(label=_("counted from"), choices=Anchor.choices)
    offset_kind = forms.ChoiceField(label=_("offset kind"), choices=OffsetKind.choices)
    offset_value = forms.IntegerField(label=_("offset"), min_value=-10_000, max_value=10_000)
    course_kinds = forms.MultipleChoiceField(
        label=_("course kinds"),
        choices=[(k, v) for k, v in CourseKind.choices if k in ALL_KINDS],
        widget=forms.CheckboxSelectMultiple,
    )
    is_limit = forms.BooleanField(label=_("a limit (never later than this)"), required=False)
    is_active = forms.BooleanField(label=_("in force"), required=False, initial=True)
    valid_from = forms.DateField(label=_("valid from"), widget=DATE)


class AbsenceForm(CleanTextForm):
    teacher = forms.TypedChoiceField(label=_("teacher"), coerce=int)
    start = forms.DateField(label=_("first day"), widget=DATE)
    end = forms.DateField(label=_("last day"), widget=DATE)
    reason = forms.ChoiceField(label=_("reason"), choices=TeacherAbsence.Reason.choices)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args: Any, teachers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teacher"].choices = teachers  # type: ignore[attr-defined]


class NoPcForm(CleanTextForm):
    day = forms.DateField(label=_("day"), widget=DATE)
    comment = forms.CharField(label=_("what happened"), max_length=300)
