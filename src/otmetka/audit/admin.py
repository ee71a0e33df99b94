"""Django admin for the installation superuser: the audit log, read only (append-only by design)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from otmetka.audit.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("at", "school", "actor", "action", "object_type", "object_id", "ip")
    list_filter = ("action", "object_type", "school")
    search_fields = ("object_id", "actor__username", "reason")
    list_select_related = ("school", "actor")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
