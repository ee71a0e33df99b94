"""The installation admin sees outgoing e-mail and daily digests: what failed after its retries,
and why."""

from django.contrib import admin

from otmetka.audit.admin_base import ReadOnlyAdmin
from otmetka.messaging.models import Digest, OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    list_display = ("address", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status",)
    search_fields = ("address",)
    readonly_fields = ("school", "message", "user", "address", "attempts", "last_error", "sent_at")


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ("user", "day", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "day")
    readonly_fields = ("user", "day", "since", "created_at", "attempts", "last_error", "sent_at")
