"""Role memberships: the only roles granted by hand. Homeroom teacher, guardian and student are
derived from data (SchoolClass.homeroom_teacher, Guardian, Student.user)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    SECRETARY = "secretary", _("secretary")
    DEPUTY = "deputy", _("deputy director")
    DIRECTOR = "director", _("director")
    TEACHER = "teacher", _("teacher")
    WEB_EDITOR = "web_editor", _("website administrator")
    NURSE = "nurse", _("nurse")
    REGION_VIEWER = "region_viewer", _("education authority (read only)")
    REGION_OPERATOR = "region_operator", _("regional operator (the region's calendar)")


class RoleMembership(models.Model):
    """User holds a role in a school, or (region_viewer) across a district or a region, or
    (region_operator) keeps the regional calendar of a region."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    school = models.ForeignKey(
        "school.School", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("school")
    )
    district = models.ForeignKey(
        "school.District",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("district"),
    )
    region = models.ForeignKey(
        "school.Region",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("region"),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            # School roles name exactly one school; a viewer names a district or a region; an
            # operator names a region.
            models.CheckConstraint(
                condition=(
                    ~Q(role__in=["region_viewer", "region_operator"])
                    & Q(school__isnull=False, district__isnull=True, region__isnull=True)
                )
                | Q(
                    role="region_operator",
                    school__isnull=True,
                    district__isnull=True,
                    region__isnull=False,
                )
                | (
                    Q(role="region_viewer", school__isnull=True)
                    & (
                        Q(district__isnull=False, region__isnull=True)
                        | Q(district__isnull=True, region__isnull=False)
                    )
                ),
                name="role_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(school__isnull=False),
                name="role_unique_in_school",
            ),
        ]

    def __str__(self) -> str:
        where = self.school or self.district or self.region
        return f"{self.user}: {self.get_role_display()} ({where})"
