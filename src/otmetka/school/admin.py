"""Django admin for the installation superuser: regions, districts and schools are set up here
(audited); years, calendar, classes and enrollments are read-only (the setup services own them)."""

from django.contrib import admin

from otmetka.audit.admin_base import AuditedAdmin, ReadOnlyAdmin
from otmetka.school.models import (
    AcademicYear,
    CalendarOverride,
    District,
    Enrollment,
    Period,
    Region,
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
