"""Django admin for the installation superuser: accounts (added and changed here with an audit
event, never deleted) and axes' login attempts (its own admin)."""

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from otmetka.accounts.models import User
from otmetka.audit.admin_base import AuditedAdmin
from otmetka.audit.services import event_record


def _with_fields(
    fieldsets: Sequence[tuple[Any, Any]] | None, title_index: int, extra: tuple[str, ...]
) -> tuple[tuple[Any, Any], ...]:
    """UserAdmin's fieldsets with extra fields appended to one of them (no new UI strings)."""
    result = []
    for i, (title, options) in enumerate(fieldsets or ()):
        if i == title_index:
            options = {**options, "fields": (*options["fields"], *extra)}
        result.append((title, options))
    return tuple(result)


@admin.register(User)
class OtmetkaUserAdmin(AuditedAdmin, UserAdmin):
    list_display = (
        "username",
        "last_name",
        "first_name",
        "middle_name",
        "is_active",
        "must_change_password",
        "is_superuser",
    )
    search_fields = ("username", "last_name", "first_name", "middle_name", "email")
    # 1 = personal info, 2 = permissions
    fieldsets = _with_fields(
        _with_fields(UserAdmin.fieldsets, 1, ("middle_name",)), 2, ("must_change_password",)
    )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        """The admin's password form saves past save_model: record the event here."""
        with transaction.atomic():
            response: HttpResponse = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=id)
                event_record(actor=request.user, action="admin.password_set", obj=user)
        return response
