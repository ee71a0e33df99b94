"""The two kinds of Django admin page every app's admin.py uses.

The Django admin is the installation superuser's window into the data, not a second way to
change it: what services own (people, classes, enrollments, calendars, courses, the journal,
accounts, the audit log) is read-only here, because a change made past the services would skip
their checks and their audit event. What only the installation superuser sets up and no service
covers (regions, districts, schools, role grants, new accounts) stays writable, and every such
change is recorded as an audit event like any other.
"""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from otmetka.audit.services import event_record, snapshot

SECRET_FIELDS = {"password"}

# ModelAdmin is generic only in the stubs (subscripting it at run time would fail).
if TYPE_CHECKING:
    ModelAdmin = admin.ModelAdmin[Any]
else:
    ModelAdmin = admin.ModelAdmin


class ReadOnlyAdmin(ModelAdmin):
    """Look, search and filter; no adding, changing or deleting (services own these rows)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _state(obj: models.Model) -> dict[str, Any]:
    """The row for the audit log, secrets (password hashes) left out."""
    return {k: v for k, v in snapshot(obj).items() if k not in SECRET_FIELDS}


class AuditedAdmin(ModelAdmin):
    """Adding and changing allowed, each recorded as an audit event; deleting never (nothing is
    hard-deleted)."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Save the row and append its audit event, with the row before and after."""
        with transaction.atomic():
            before = _state(type(obj).objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            event_record(
                actor=request.user,
                action="admin.change" if change else "admin.add",
                obj=obj,
                before=before,
                after=_state(obj),
            )
