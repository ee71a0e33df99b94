"""Django admin for the installation superuser: the audit log, read only (append-only by design)."""

from django.contrib import admin

from otmetka.audit.admin_base import ReadOnlyAdmin
from otmetka.audit.models import Event


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("at", "school", "actor", "action", "object_type", "object_id", "ip")
    list_filter = ("action", "object_type", "school")
    search_fields = ("object_id", "actor__username", "reason")
    list_select_related = ("school", "actor")
    date_hierarchy = "at"
