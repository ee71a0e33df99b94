"""The installation admin sees outgoing e-mail: what failed after its retries, and why."""

from django.contrib import admin

from otmetka.audit.admin_base import ReadOnlyAdmin
from otmetka.messaging.models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    list_display = ("address", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status",)
    search_fields = ("address",)
    readonly_fields = ("school", "message", "user", "address", "attempts", "last_error", "sent_at")
