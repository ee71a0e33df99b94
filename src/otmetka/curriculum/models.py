"""Curriculum: the subject catalogue and courses (one course = one journal)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from otmetka.core.dates import SpanQuerySet


class Subject(models.Model):
    """A subject of the school's catalogue (Математика, Русский язык…)."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=100)

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


class StudyPlanRow(models.Model):
    """One line of the учебный план: so many hours a week of a subject in a grade (or one class)."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    year = models.ForeignKey(
        "school.AcademicYear", on_delete=models.CASCADE, verbose_name=_("year")
    )
    grade = models.PositiveSmallIntegerField(_("grade"))
    school_class = models.ForeignKey(
        "school.SchoolClass",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("class"),
        help_text=_("Empty: the line applies to every class of the grade."),
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, verbose_name=_("subject"))
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("study plan line")
        verbose_name_plural = _("study plan")
        ordering = ["grade", "subject__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "grade", "subject"],
                condition=Q(school_class__isnull=True),
                name="studyplan_unique_grade_subject",
            ),
            models.UniqueConstraint(
                fields=["year", "school_class", "subject"],
                condition=Q(school_class__isnull=False),
                name="studyplan_unique_class_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade}: {self.subject} {self.hours_per_week}"


class CourseMember(models.Model):
    """A student in a group course (English group 1, a club) from one date to another."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="members", verbose_name=_("course")
    )
    student = models.ForeignKey(
        "people.Student",
        on_delete=models.CASCADE,
        related_name="course_memberships",
        verbose_name=_("student"),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)

    objects = SpanQuerySet.as_manager()

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        indexes = [models.Index(fields=["course", "start"])]

    def __str__(self) -> str:
        return f"{self.student} → {self.course}"


class _SlotQuerySet(SpanQuerySet):
    span = ("valid_from", "valid_to")


class TimetableSlot(models.Model):
    """A course meets on this weekday at this bell in this room, from one date to another."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="slots", verbose_name=_("course")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 = Monday
    bell = models.ForeignKey("school.Bell", on_delete=models.PROTECT, verbose_name=_("bell"))
    room = models.CharField(_("room"), max_length=30, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = _SlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("timetable slot")
        verbose_name_plural = _("timetable")
        ordering = ["weekday", "bell__number"]
        indexes = [models.Index(fields=["school", "weekday"])]

    def __str__(self) -> str:
        return f"{self.course} {self.weekday} {self.bell.number}"


class ThematicPlan(models.Model):
    """КТП: the ordered plan of topics of one course."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    course = models.OneToOneField(
        Course, on_delete=models.CASCADE, related_name="plan", verbose_name=_("course")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("thematic plan")
        verbose_name_plural = _("thematic plans")

    def __str__(self) -> str:
        return str(self.course)


class PlannedTopic(models.Model):
    """One topic of a КТП with its hours and, for control works, its kind."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    plan = models.ForeignKey(
        ThematicPlan, on_delete=models.CASCADE, related_name="topics", verbose_name=_("plan")
    )
    position = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("topic"), max_length=500)
    hours = models.PositiveSmallIntegerField(_("hours"), default=1)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    is_control = models.BooleanField(_("control or written work"), default=False)
    work_kind = models.CharField(_("work kind"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("planned topic")
        verbose_name_plural = _("planned topics")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="topic_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"
