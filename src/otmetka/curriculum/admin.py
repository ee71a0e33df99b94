"""Django admin for the installation superuser: subjects and courses (read-only:
the curriculum services own them)."""

from django.contrib import admin

from otmetka.audit.admin_base import ReadOnlyAdmin
from otmetka.curriculum.models import Course, Subject


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdmin):
    list_display = ("name", "short_name", "position", "school")
    list_filter = ("school",)
    search_fields = ("name",)


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "school", "year", "kind", "assessment", "hours_per_week")
    list_filter = ("school", "kind", "assessment")
    list_select_related = ("subject", "school_class", "school", "year")
    filter_horizontal = ("teachers",)
