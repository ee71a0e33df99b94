"""Django admin for the installation superuser: tenancy, years, calendar, classes."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

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
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name",)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "region")
    list_filter = ("region",)
    search_fields = ("name",)


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
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
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "start", "end")
    list_filter = ("school",)


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("__str__", "school", "scheme", "number", "start", "end")
    list_filter = ("school", "scheme")
    list_select_related = ("year", "school")


@admin.register(Vacation)
class VacationAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "year", "start", "end", "min_grade", "max_grade")
    list_filter = ("school",)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "reason", "region", "school", "min_grade", "max_grade")
    list_filter = ("kind", "region", "school")


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ("__str__", "school", "year", "homeroom_teacher", "period_scheme", "week_days")
    list_filter = ("school", "year")
    list_select_related = ("school", "year", "homeroom_teacher")
    autocomplete_fields = ("homeroom_teacher",)


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("student", "school_class", "start", "end", "order_ref")
    list_filter = ("school",)
    list_select_related = ("student", "school_class")
    search_fields = ("student__last_name",)
    raw_id_fields = ("student", "school_class")
