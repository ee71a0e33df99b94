"""The request as our pages see it, for type checking: a logged-in user (`login_required`) and
the current school that `CurrentSchoolMiddleware` sets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from otmetka.accounts.http import UserRequest

if TYPE_CHECKING:
    from otmetka.school.models import School


class SchoolRequest(UserRequest):
    """A request of a logged-in user after `CurrentSchoolMiddleware`: `school` is the user's
    current school, None when they have none (the access rules then refuse everything)."""

    school: School | None
    user_schools: list[School]
