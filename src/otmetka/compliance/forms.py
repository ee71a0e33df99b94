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
    key = forms.SlugField(label=_("Rule"), max_length=40)
    entity = forms.ChoiceField(label=_("Entry"), choices=Entity.choices)
    anchor = forms.ChoiceField(label=_("Counted from"), choices=Anchor.choices)
    offset_kind = forms.ChoiceField(label=_("Offset kind"), choices=OffsetKind.choices)
    offset_value = forms.IntegerField(label=_("Offset"), min_value=-10_000, max_value=10_000)
    course_kinds = forms.MultipleChoiceField(
        label=_("Course kinds"),
        choices=[(k, v) for k, v in CourseKind.choices if k in ALL_KINDS],
        widget=forms.CheckboxSelectMultiple,
    )
    is_limit = forms.BooleanField(label=_("A limit (never later than this)"), required=False)
    is_active = forms.BooleanField(label=_("In force"), required=False, initial=True)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)


class AbsenceForm(CleanTextForm):
    teacher = forms.TypedChoiceField(label=_("Teacher"), coerce=int)
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)
    reason = forms.ChoiceField(label=_("Reason"), choices=TeacherAbsence.Reason.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, teachers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teacher"].choices = teachers  # type: ignore[attr-defined]


class NoPcForm(CleanTextForm):
    day = forms.DateField(label=_("Day"), widget=DATE)
    comment = forms.CharField(label=_("What happened"), max_length=300)
