"""Django admin for the installation superuser: users (login failures: axes' own admin)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from otmetka.accounts.models import User


def _with_fields(fieldsets: tuple, title_index: int, extra: tuple[str, ...]) -> tuple:
    """UserAdmin's fieldsets with extra fields appended to one of them (no new UI strings)."""
    result = []
    for i, (title, options) in enumerate(fieldsets):
        if i == title_index:
            options = {**options, "fields": (*options["fields"], *extra)}
        result.append((title, options))
    return tuple(result)


@admin.register(User)
class OtmetkaUserAdmin(UserAdmin):
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
