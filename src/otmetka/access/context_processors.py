"""Template context of every page: the current school and what the user may see of it."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from otmetka.access.rules import sees_people


def current_school(request: HttpRequest) -> dict[str, Any]:
    """`school`, `user_schools`, and `sees_people` (False: names of people are left out)."""
    school = getattr(request, "school", None)
    return {
        "school": school,
        "user_schools": getattr(request, "user_schools", []),
        "sees_people": SimpleLazyObject(lambda: sees_people(request.user, school)),
    }
