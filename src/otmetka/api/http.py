"""The request as the API's handlers see it, for type checking: ninja's `django_auth` has let a
logged-in user through and set `request.auth` to them. ninja skips a handler's parameter named
`request` when it reads the signature, so this annotation changes nothing at run time."""

from __future__ import annotations

from otmetka.access.http import SchoolRequest
from otmetka.accounts.models import User


class ApiRequest(SchoolRequest):
    """A request to an API route with the default auth: `auth` is the logged-in user."""

    auth: User
