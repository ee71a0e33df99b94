from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from otmetka.accounts.models import User
from otmetka.accounts.throttle import lockout_end


def lockout_message(request: HttpRequest, typed_login: str) -> str:
    """The Russian «locked until HH:MM» message for this login from this address."""
    until = timezone.localtime(lockout_end(request, typed_login))
    return gettext(
        "Too many failed attempts. The login is locked until %(time)s; try again later "
        "or ask the school administrator to reset your password."
    ) % {"time": until.strftime("%H:%M")}


class LoginForm(forms.Form):
    """Login by login name and password; django-axes refuses a locked login (see throttle.py)."""

    username = forms.CharField(label=_("Login"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    remember = forms.BooleanField(label=_("Remember me"), required=False)

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user_cache: User | None = None
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autofocus=True, autocomplete="username")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username", "")
        password = self.cleaned_data.get("password", "")
        if not username or not password:
            return self.cleaned_data
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is not None:
            return self.cleaned_data
        if getattr(self.request, "axes_locked_out", False):
            raise ValidationError(lockout_message(self.request, username), code="locked")
        raise ValidationError(_("Wrong login or password."), code="invalid_login")

    def get_user(self) -> User | None:
        return self.user_cache

    def is_locked(self) -> bool:
        """Whether the login was refused by a lockout (the page then answers 429)."""
        return self.has_error(NON_FIELD_ERRORS, "locked")


class OtmetkaPasswordChangeForm(PasswordChangeForm):
    """The standard form; a new password must differ from the issued one."""

    def clean_new_password1(self) -> str:
        new = self.cleaned_data["new_password1"]
        if self.user.check_password(new):
            raise ValidationError(_("The new password must differ from the current one."))
        return new
