"""Django admin for the installation superuser: granted roles (region viewers are set here)."""

from django.contrib import admin

from otmetka.access.models import RoleMembership


@admin.register(RoleMembership)
class RoleMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "school", "district", "region")
    list_filter = ("role", "school")
    search_fields = ("user__username", "user__last_name")
    autocomplete_fields = ("user",)
    list_select_related = ("user", "school", "district", "region")
