"""Base forms of every setup page: dates typed the Russian way, a form bound to the current school
and user, and a service's refusal shown on the form."""

from typing import Any, Generic, TypeVar, cast

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from otmetka.core.input import CleanTextForm

# `<input type=date>` sends ISO; people typing by hand write ДД.ММ.ГГГГ.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class RuDateField(forms.DateField):
    """A date from a date picker (ISO) or typed in Russian format (ДД.ММ.ГГГГ)."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = {"invalid": _("Enter a date as DD.MM.YYYY.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)


M = TypeVar("M", bound=Model)


class SetupForm(CleanTextForm, Generic[M]):
    """A setup form bound to the current school and user; `instance` (a row of model `M`) fills
    the initial values."""

    # `school` and `user` are models of apps above core (School, accounts.User).
    def __init__(
        self,
        *args: Any,
        school: Any,
        user: Any,
        instance: M | None = None,
        **kwargs: Any,
    ) -> None:
        self.school, self.user, self.instance = school, user, instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        self.setup_fields()

    def initial_from(self, obj: M) -> dict[str, Any]:
        """Initial values of the form's fields taken from the row."""
        return {name: getattr(obj, name) for name in self.base_fields if hasattr(obj, name)}

    def setup_fields(self) -> None:
        """Narrow choices to the current school (override in subclasses)."""


def model_choices(form: forms.BaseForm, name: str) -> "forms.ModelChoiceField[Any]":
    """The form's model choice field `name` (a form's `fields` are typed as plain `Field`s)."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field `name`, to set its `choices` (typed like `model_choices`)."""
    return cast(forms.ChoiceField, form.fields[name])


def add_service_error(form: forms.Form, error: Any) -> None:
    """Show a service's ValidationError on the form; messages for fields the form does not
    show go to the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
