"""The request of a logged-in user, for type checking (`login_required` views)."""

from __future__ import annotations

from django.http import HttpRequest

from otmetka.accounts.models import User


class UserRequest(HttpRequest):
    """A request that `login_required` let through: `user` is a real account."""

    user: User
