"""Django admin pages that span apps: a school made by the installation gets the journal's
defaults (kinds of work, absence codes) in the same transaction."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from otmetka.audit.admin_base import AuditedAdmin
from otmetka.journal.defaults import journal_defaults_ensure
from otmetka.school.models import School


@admin.register(School)
class SchoolAdmin(AuditedAdmin):
    list_display = ("short_name", "district", "time_zone", "six_day_from_grade")
    list_filter = ("district__region", "district")
    search_fields = ("name", "short_name")

    def save_model(self, request: HttpRequest, obj: School, form: Any, change: bool) -> None:
        """A new school starts with the default kinds of work and absence codes."""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            journal_defaults_ensure(school=obj)
