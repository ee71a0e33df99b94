"""The deadline engine's data: rules per school (versioned by date), teachers' absences and
"no PC/Internet" days, and the per-(course, day) rollups of timeliness."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Entity(models.TextChoices):
    """What is entered on time or late."""

    TOPIC = "topic", _("lesson topic")
    HOMEWORK = "homework", _("homework")
    ATTENDANCE = "attendance", _("attendance")
    WRITTEN_MARKS = "written_marks", _("marks for written works")
    ALL = "all", _("every entry (except written-work marks)")


class Anchor(models.TextChoices):
    """The moment a rule counts from."""

    LESSON_START = "lesson_start", _("the lesson's start")
    LESSON_END = "lesson_end", _("the lesson's end")
    LAST_LESSON_END = "last_lesson_end", _("the end of the class's last lesson of the day")
    STUDENTS_LAST_END = "students_last_end", _("the end of the students' last lesson of the day")
    PERIOD_END = "period_end", _("the last day of the study period")
    NO_PC_DAY = "no_pc_day", _("a day declared without PC/Internet")
    ABSENCE_END = "absence_end", _("the last day of the teacher's absence")


class OffsetKind(models.TextChoices):
    """How a rule's offset is counted."""

    CLOCK = "clock", _("at a clock time the same day (minutes after midnight)")
    HOURS = "hours", _("hours after")
    DAYS = "days", _("calendar days (to the end of the day)")
    WORKING_DAYS = "working_days", _("working days (to the end of the day)")


class DeadlineRule(models.Model):
    """One version of a deadline rule of a school: from `valid_from` on, until a later version
    of the same key. A change is a new version; lessons before its date keep the old one."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    key = models.SlugField(_("rule"), max_length=40)
    entity = models.CharField(_("entry"), max_length=16, choices=Entity.choices)
    anchor = models.CharField(_("counted from"), max_length=20, choices=Anchor.choices)
    offset_kind = models.CharField(_("offset kind"), max_length=16, choices=OffsetKind.choices)
    offset_value = models.IntegerField(_("offset"))
    course_kinds = models.CharField(
        _("course kinds"), max_length=60, help_text=_("Comma-separated: lesson, extracurricular…")
    )
    is_limit = models.BooleanField(
        _("a limit"),
        default=False,
        help_text=_("The deadline is never later than this (the day before the period ends)."),
    )
    is_active = models.BooleanField(_("in force"), default=True)
    valid_from = models.DateField(_("valid from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["key", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "key", "valid_from"], name="deadlinerule_one_version_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.valid_from:%d.%m.%Y}"


class TeacherAbsence(models.Model):
    """A teacher's illness or leave: their entries for these days are due 1 working week after
    the return (5.8, 7.5)."""

    class Reason(models.TextChoices):
        ILLNESS = "illness", _("illness")
        LEAVE = "leave", _("leave")
        OTHER = "other", _("other valid reason")

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("teacher"),
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("teacher absence")
        verbose_name_plural = _("teacher absences")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="absence_end_after"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} {self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"


class NoPcDay(models.Model):
    """A teacher's declaration that on a day there was no PC or Internet: that day's entries
    are due within 3 working days (5.4, 6.3, 7.3). The deputy sees them and may revoke one."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("teacher"),
    )
    day = models.DateField(_("day"))
    comment = models.CharField(_("comment"), max_length=300)
    created_at = models.DateTimeField(_("declared"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("day without PC/Internet")
        verbose_name_plural = _("days without PC/Internet")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["teacher", "day", "school"], name="nopcday_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} {self.day:%d.%m.%Y}"


class Counts(models.Model):
    """Lessons held and, per entry (topic, homework, attendance, written-work marks), on time /
    late / missing: the fields of both rollup levels."""

    lessons = models.PositiveIntegerField(_("lessons held"), default=0)
    topic_on_time = models.PositiveIntegerField(default=0)
    topic_late = models.PositiveIntegerField(default=0)
    topic_missing = models.PositiveIntegerField(default=0)
    homework_on_time = models.PositiveIntegerField(default=0)
    homework_late = models.PositiveIntegerField(default=0)
    homework_missing = models.PositiveIntegerField(default=0)
    attendance_on_time = models.PositiveIntegerField(default=0)
    attendance_late = models.PositiveIntegerField(default=0)
    attendance_missing = models.PositiveIntegerField(default=0)
    marks_on_time = models.PositiveIntegerField(default=0)
    marks_late = models.PositiveIntegerField(default=0)
    marks_missing = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DayRollup(Counts):
    """Timeliness of one course's lessons of one day, kept as entries are saved and by the
    worker: the region dashboard reads these rows, never the lessons."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    course = models.ForeignKey(
        "curriculum.Course", on_delete=models.CASCADE, verbose_name=_("course")
    )
    day = models.DateField(_("day"))
    next_change_at = models.DateTimeField(
        _("next deadline"),
        null=True,
        blank=True,
        help_text=_("When an entry still pending turns missing: the worker looks again then."),
    )
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("timeliness rollup")
        verbose_name_plural = _("timeliness rollups")
        constraints = [
            models.UniqueConstraint(fields=["course", "day"], name="dayrollup_unique"),
        ]
        indexes = [
            models.Index(fields=["school", "day"]),
            models.Index(fields=["next_change_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.day:%d.%m.%Y}"


class SchoolDayRollup(Counts):
    """A school's day: the sums of its courses' `DayRollup` rows of the day, kept equal to them
    wherever those are written (`rollups.school_days_refresh`): the region dashboard reads one
    row per school and day, not one per course."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("school day timeliness rollup")
        verbose_name_plural = _("school day timeliness rollups")
        constraints = [
            models.UniqueConstraint(fields=["school", "day"], name="schooldayrollup_unique"),
        ]
        # The region dashboard reads a week of every school (530 × 5 of ~30,000 rows of a term):
        # by day first, not the whole table (region-M, docs/benchmarks.md).
        indexes = [models.Index(fields=["day", "school"], name="schooldayrollup_day")]

    def __str__(self) -> str:
        return f"{self.school_id} {self.day:%d.%m.%Y}"


class RollupDirty(models.Model):
    """A (course, day) whose entries changed since its rollup was computed: the one row a save
    writes (an insert that ignores a duplicate); the worker recomputes and deletes it."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    course = models.ForeignKey(
        "curriculum.Course", on_delete=models.CASCADE, verbose_name=_("course")
    )
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("rollup to recompute")
        verbose_name_plural = _("rollups to recompute")
        constraints = [
            models.UniqueConstraint(fields=["course", "day"], name="rollupdirty_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.day:%d.%m.%Y}"


class EventMark(models.Model):
    """How far the worker has read a school's audit chain (`compliance.rollups`): the id of the
    last event whose lesson's (course, day) rollup it has refreshed. Saves write nothing for the
    rollups; the worker finds their (course, day)s in the events written since this mark."""

    school_key = models.BigIntegerField(_("school"), primary_key=True)  # as audit's ChainHead
    last_id = models.BigIntegerField(_("last event"), default=0)

    class Meta:
        verbose_name = _("audit events read for rollups")
        verbose_name_plural = _("audit events read for rollups")

    def __str__(self) -> str:
        return f"{self.school_key}: {self.last_id}"


class GapReminder(models.Model):
    """A reminder of the day's open entries sent to a teacher: one a day at most."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("teacher"),
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("journal reminder")
        verbose_name_plural = _("journal reminders")
        constraints = [
            models.UniqueConstraint(fields=["school", "teacher", "day"], name="gapreminder_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher_id} {self.day:%d.%m.%Y}"
