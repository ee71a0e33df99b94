"""Password authentication by login name, normalised the same way everywhere."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from otmetka.accounts.models import User
from otmetka.accounts.selectors import user_by_login
from otmetka.accounts.sessions import loaded_user


class LoginBackend(ModelBackend):
    """ModelBackend that finds the user through `user_by_login` (case, NFKC, look-alikes); it
    serves our login form and the Django admin's alike. axes' backend runs before it."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        """The user whose login and password these are, if they may log in."""
        if username is None or password is None:
            return None
        user = user_by_login(username)
        if user is None:
            User().set_password(password)  # the same hashing work as for a real login (timing)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        """The session's user: the row read with the session (`accounts.sessions`) when it is
        there, else one query; an inactive user is refused either way."""
        user = loaded_user(user_id)
        if user is None:
            return super().get_user(user_id)
        return user if self.user_can_authenticate(user) else None
