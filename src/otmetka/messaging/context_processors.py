"""The header's link to messages with the unread count: read only when the page shows it, at
most one query a request."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from otmetka.access.models import Role
from otmetka.access.rules import school_roles
from otmetka.messaging.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    """`messaging_link`: url, label and the lazy unread count (absent for a region viewer)."""
    user, school = request.user, getattr(request, "school", None)
    if not user.is_authenticated or school is None:
        return {}
    if school_roles(user, school) == {Role.REGION_VIEWER}:
        return {}
    count = SimpleLazyObject(lambda: unread_count(user=user, school=school))
    link = {"url": reverse("messaging:inbox"), "label": _("Messages"), "unread": count}
    return {"messaging_link": link}
