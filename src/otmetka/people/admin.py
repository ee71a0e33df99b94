"""Django admin for the installation superuser: students, guardian links, staff records (read-only:
the setup pages' services own them)."""

from django.contrib import admin

from otmetka.audit.admin_base import ReadOnlyAdmin
from otmetka.people.models import Guardian, Staff, Student


@admin.register(Student)
class StudentAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "school", "birth_date", "user")
    list_filter = ("school",)
    search_fields = ("last_name", "first_name", "middle_name")
    list_select_related = ("school", "user")
    raw_id_fields = ("user",)


@admin.register(Guardian)
class GuardianAdmin(ReadOnlyAdmin):
    list_display = ("user", "student", "relation", "phone", "school")
    list_filter = ("school", "relation")
    search_fields = ("user__last_name", "student__last_name")
    list_select_related = ("user", "student", "school")
    raw_id_fields = ("user", "student")


@admin.register(Staff)
class StaffAdmin(ReadOnlyAdmin):
    list_display = ("user", "school", "position", "hired_on", "left_on")
    list_filter = ("school",)
    search_fields = ("user__last_name", "position")
    list_select_related = ("user", "school")
    raw_id_fields = ("user",)
