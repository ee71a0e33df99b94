"""Django admin for the installation superuser: granted roles (region viewers and a school's first
administrator are set here; every change is an audit event)."""

from django.contrib import admin

from otmetka.access.models import RoleMembership
from otmetka.audit.admin_base import AuditedAdmin


@admin.register(RoleMembership)
class RoleMembershipAdmin(AuditedAdmin):
    list_display = ("user", "role", "school", "district", "region")
    list_filter = ("role", "school")
    search_fields = ("user__username", "user__last_name")
    autocomplete_fields = ("user",)
    list_select_related = ("user", "school", "district", "region")
