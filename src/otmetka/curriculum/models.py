"""Curriculum: the subject catalogue and courses (one course = one journal)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Subject(models.Model):
    """A subject of the school's catalogue (Математика, Русский язык…)."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="subject_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class CourseKind(models.TextChoices):
    LESSON = "lesson", _("lessons")
    EXTRACURRICULAR = "extracurricular", _("extracurricular activity")
    ADDITIONAL = "additional", _("additional education")


class AssessmentMode(models.TextChoices):
    POINTS_2_5 = "points_2_5", _("marks 2–5")
    POINTS_1_5 = "points_1_5", _("marks 1–5")
    PASS_FAIL = "pass_fail", _("pass/fail")
    NONE = "none", _("no marks")


class Course(models.Model):
    """Нагрузка: one journal — a subject taught to a class (or group) by its teachers in a year."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    year = models.ForeignKey(
        "school.AcademicYear", on_delete=models.CASCADE, verbose_name=_("year")
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, verbose_name=_("subject"))
    school_class = models.ForeignKey(
        "school.SchoolClass",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="courses",
        verbose_name=_("class"),
    )
    name = models.CharField(
        _("group name"),
        max_length=100,
        blank=True,
        help_text=_("For a group of a class or a cross-class group."),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=CourseKind.choices, default=CourseKind.LESSON
    )
    assessment = models.CharField(
        _("assessment"),
        max_length=12,
        choices=AssessmentMode.choices,
        default=AssessmentMode.POINTS_2_5,
    )
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, default=1
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="courses", verbose_name=_("teachers"), blank=True
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["school_class__grade", "school_class__letter", "subject__position"]

    def __str__(self) -> str:
        where = self.name or (str(self.school_class) if self.school_class_id else "")
        return f"{self.subject} — {where}" if where else str(self.subject)
