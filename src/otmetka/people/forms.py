"""Forms of the people pages: staff, students, guardians and contingent movement."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from otmetka.access.models import Role
from otmetka.access.rules import CHANGE, can
from otmetka.core.forms import RuDateField, SetupForm, model_choices
from otmetka.people.models import Gender, Guardian, Staff, Student
from otmetka.people.selectors import school_roles_of
from otmetka.school.models import School, SchoolClass

LOGIN_HELP = _(
    "Latin letters, digits, dot, underscore, hyphen. Leave empty to make one from the last name."
)


def class_choices(school: School) -> QuerySet[SchoolClass]:
    """Classes of the school, newest year first."""
    return (
        SchoolClass.objects.filter(school=school)
        .select_related("year")
        .order_by("-year__start", "grade", "letter")
    )


class ClassChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SchoolClass) -> str:
        return f"{obj} ({obj.year})"


class NamesForm(SetupForm):
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    middle_name = forms.CharField(label=_("Middle name"), max_length=100, required=False)


class StaffForm(NamesForm):
    username = forms.CharField(
        label=_("Login"), max_length=150, required=False, help_text=LOGIN_HELP
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    position = forms.CharField(label=_("Position"), max_length=200)
    hired_on = RuDateField(label=_("Hired on"), required=False)
    left_on = RuDateField(
        label=_("Left on"),
        required=False,
        help_text=_("When set, the person's roles in this school end."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(r.value, r.label) for r in Role if r != Role.REGION_VIEWER],
    )

    def initial_from(self, obj: Staff) -> dict[str, Any]:
        user = obj.user
        return {
            **{f: getattr(user, f) for f in ("last_name", "first_name", "middle_name", "email")},
            **{f: getattr(obj, f) for f in ("position", "hired_on", "left_on")},
            "roles": school_roles_of(user=user, school=self.school),
        }

    def setup_fields(self) -> None:
        if self.instance is None:
            del self.fields["left_on"]
        else:
            del self.fields["username"]
        if not can(self.user, self.school, "account", CHANGE):
            del self.fields["roles"]


class StudentForm(NamesForm):
    birth_date = RuDateField(label=_("Date of birth"), required=False)
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", "—"), *Gender.choices]
    )
    snils = forms.CharField(
        label=_("SNILS"),
        max_length=20,
        required=False,
        help_text=_("11 digits, for example 112-233-445 95."),
    )
    school_class = ClassChoiceField(label=_("Class"), queryset=SchoolClass.objects.none())
    start = RuDateField(label=_("In the class from"))
    order_ref = forms.CharField(
        label=_("Order"),
        max_length=100,
        required=False,
        help_text=_("Number and date of the enrolment order."),
    )

    def setup_fields(self) -> None:
        if self.instance is not None:
            for name in ("school_class", "start", "order_ref"):
                del self.fields[name]
        else:
            model_choices(self, "school_class").queryset = class_choices(self.school)


class TransferForm(SetupForm):
    school_class = ClassChoiceField(label=_("New class"), queryset=SchoolClass.objects.none())
    start = RuDateField(label=_("In the new class from"))
    order_ref = forms.CharField(label=_("Order"), max_length=100, required=False)

    def setup_fields(self) -> None:
        model_choices(self, "school_class").queryset = class_choices(self.school)


class DepartForm(SetupForm):
    end = RuDateField(label=_("Last day at school"))
    order_ref = forms.CharField(
        label=_("Order"), max_length=100, help_text=_("Number and date of the expulsion order.")
    )


class StudentLoginForm(SetupForm):
    username = forms.CharField(
        label=_("Login"), max_length=150, required=False, help_text=LOGIN_HELP
    )


class StudentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Student) -> str:
        return obj.full_name


class GuardianForm(SetupForm):
    student = StudentChoiceField(label=_("Student"), queryset=Student.objects.none())
    relation = forms.ChoiceField(label=_("Relation"), choices=Guardian.Relation.choices)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    existing_login = forms.CharField(
        label=_("Login of an existing guardian"),
        max_length=150,
        required=False,
        help_text=_(
            "Fill in to link a person who already has a login; otherwise fill in the "
            "new guardian's name below."
        ),
    )
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    middle_name = forms.CharField(label=_("Middle name"), max_length=100, required=False)
    username = forms.CharField(
        label=_("New login"), max_length=150, required=False, help_text=LOGIN_HELP
    )
    end = RuDateField(
        label=_("Link ends on"),
        required=False,
        help_text=_("The last day the guardian sees the diary; from the next day, no access."),
    )
    end_basis = forms.CharField(label=_("Basis for the end"), max_length=200, required=False)

    def setup_fields(self) -> None:
        if self.instance is None:
            del self.fields["end"], self.fields["end_basis"]
        if self.instance is not None:
            for name in (
                "student",
                "existing_login",
                "last_name",
                "first_name",
                "middle_name",
                "username",
            ):
                del self.fields[name]
        else:
            model_choices(self, "student").queryset = Student.objects.filter(school=self.school)
