"""The request as the API's handlers see it, for type checking: the session auth
(`api.auth.session_auth`) or a token has let a logged-in user through and set `request.auth`
to them (the User itself, not `request.user`'s lazy proxy). ninja skips a handler's parameter
named `request` when it reads the signature, so this annotation changes nothing at run time."""

from __future__ import annotations

from otmetka.access.http import SchoolRequest
from otmetka.accounts.models import User


class ApiRequest(SchoolRequest):
    """A request to an API route with the default auth: `auth` is the logged-in user."""

    auth: User
