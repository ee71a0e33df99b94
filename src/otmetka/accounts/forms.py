from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from otmetka.accounts import lockout
from otmetka.accounts.models import User


def _stored_login(typed: str) -> str:
    """The stored login name matching what was typed regardless of case (phones capitalise)."""
    names = list(User.objects.filter(username__iexact=typed).values_list("username", flat=True)[:2])
    return names[0] if len(names) == 1 else typed


class LoginForm(forms.Form):
    """Login by login name and password, with lockout after repeated failures."""

    username = forms.CharField(label=_("Login"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autofocus=True, autocomplete="username")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username", "")
        password = self.cleaned_data.get("password", "")
        if not username or not password:
            return self.cleaned_data
        until = lockout.locked_until(username)
        if until is None:
            login = _stored_login(username)
            self.user_cache = authenticate(self.request, username=login, password=password)
            if self.user_cache is not None:
                lockout.success_register(username)
                return self.cleaned_data
            until = lockout.failure_register(username)
            if until is None:
                raise ValidationError(_("Wrong login or password."), code="invalid_login")
        local = timezone.localtime(until)
        raise ValidationError(
            _(
                "Too many failed attempts. The login is locked until %(time)s; try again later "
                "or ask the school administrator to reset your password."
            ),
            code="locked",
            params={"time": local.strftime("%H:%M")},
        )

    def get_user(self) -> Any:
        return self.user_cache


class OtmetkaPasswordChangeForm(PasswordChangeForm):
    """The standard form; a new password must differ from the issued one."""

    def clean_new_password1(self) -> str:
        new = self.cleaned_data["new_password1"]
        if self.user.check_password(new):
            raise ValidationError(_("The new password must differ from the current one."))
        return new
