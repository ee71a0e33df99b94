"""Django admin for the installation superuser: regions, districts and schools are set up here
(audited); years, calendar, classes and enrollments are read-only (the setup services own them)."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from otmetka.audit.admin_base import AuditedAdmin, ReadOnlyAdmin
from otmetka.school.models import (
    AcademicYear,
    CalendarOverride,
    District,
    Enrollment,
    Period,
    Region,
    School,
    SchoolClass,
    Vacation,
)


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("name", "code")
    search_fields = ("name",)


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    list_display = ("name", "region")
    list_filter = ("region",)
    search_fields = ("name",)


@admin.register(School)
class SchoolAdmin(AuditedAdmin):
    list_display = ("short_name", "district", "time_zone", "six_day_from_grade")
    list_filter = ("district__region", "district")
    search_fields = ("name", "short_name")

    def save_model(self, request: HttpRequest, obj: School, form: Any, change: bool) -> None:
        """A new school starts with the default kinds of work and absence codes."""
        from otmetka.journal.defaults import journal_defaults_ensure

        with transaction.atomic():
            super().save_model(request, obj, form, change)
            journal_defaults_ensure(school=obj)


@admin.register(AcademicYear)
class AcademicYearAdmin(ReadOnlyAdmin):
    list_display = ("name", "school", "start", "end")
    list_filter = ("school",)


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "school", "scheme", "number", "start", "end")
    list_filter = ("school", "scheme")
    list_select_related = ("year", "school")


@admin.register(Vacation)
class VacationAdmin(ReadOnlyAdmin):
    list_display = ("name", "school", "year", "start", "end", "min_grade", "max_grade")
    list_filter = ("school",)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ReadOnlyAdmin):
    list_display = ("date", "kind", "reason", "region", "school", "min_grade", "max_grade")
    list_filter = ("kind", "region", "school")


@admin.register(SchoolClass)
class SchoolClassAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "school", "year", "homeroom_teacher", "period_scheme", "week_days")
    list_filter = ("school", "year")
    list_select_related = ("school", "year", "homeroom_teacher")
    autocomplete_fields = ("homeroom_teacher",)


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyAdmin):
    list_display = ("student", "school_class", "start", "end", "order_ref")
    list_filter = ("school",)
    list_select_related = ("student", "school_class")
    search_fields = ("student__last_name",)
    raw_id_fields = ("student", "school_class")
