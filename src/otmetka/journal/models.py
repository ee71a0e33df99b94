"""The class journal: dated lessons, marks, absences, homework, substitutions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from otmetka.core.models import Entered, EnteredBy, StoredFile


class MarkKind(models.Model):
    """Вид работы with its weight: «Ответ на уроке» 1, «Контрольная работа» 3…"""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=100)
    short = models.CharField(_("abbreviation"), max_length=10, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=3, decimal_places=1, default=1)
    is_written = models.BooleanField(
        _("written work"),
        default=False,
        help_text=_("Marks for written works have the 7-day deadline of the order."),
    )
    position = models.PositiveSmallIntegerField(_("position in lists"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("kind of work")
        verbose_name_plural = _("kinds of work")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="markkind_unique_name"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="markkind_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class AbsenceCode(models.Model):
    """A code of the school's absence table: «н», «б», «у», «нп», «оп» (late, with minutes)."""

    class Reason(models.TextChoices):
        UNKNOWN = "unknown", _("reason unknown")
        ILLNESS = "illness", _("illness")
        VALID = "valid", _("valid reason")
        INVALID = "invalid", _("no valid reason")
        LATE = "late", _("late")

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    code = models.CharField(_("code"), max_length=4)
    name = models.CharField(_("name"), max_length=100)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=100)

    class Meta:
        verbose_name = _("absence code")
        verbose_name_plural = _("absence codes")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="absencecode_unique_code"),
        ]

    def __str__(self) -> str:
        return self.code


class Lesson(models.Model):
    """A lesson of a course on a date: topic, homework, attendance, who actually taught it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CANCELLED = "cancelled", _("cancelled")

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    course = models.ForeignKey(
        "curriculum.Course",
        on_delete=models.CASCADE,
        related_name="lessons",
        verbose_name=_("course"),
    )
    date = models.DateField(_("date"))
    bell_number = models.PositiveSmallIntegerField(_("lesson number"), null=True, blank=True)
    starts_at = models.TimeField(_("starts"), null=True, blank=True)
    ends_at = models.TimeField(_("ends"), null=True, blank=True)
    room = models.CharField(_("room"), max_length=30, blank=True)
    slot = models.ForeignKey(
        "curriculum.TimetableSlot",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
        verbose_name=_("timetable slot"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    is_extra = models.BooleanField(_("extra lesson"), default=False)
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        help_text=_("The timetable changed but the lesson holds data: the deputy decides."),
    )
    topic = models.CharField(_("topic"), max_length=500, blank=True)
    planned_topic = models.ForeignKey(
        "curriculum.PlannedTopic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("planned topic"),
    )
    homework = models.TextField(_("homework"), blank=True)
    homework_minutes = models.PositiveSmallIntegerField(
        _("homework minutes"),
        null=True,
        blank=True,
        help_text=_("Optional estimate of the time the homework takes (the daily load, R38)."),
    )
    topic_entered_at = models.DateTimeField(_("topic first entered"), null=True, blank=True)
    homework_entered_at = models.DateTimeField(_("homework first entered"), null=True, blank=True)
    attendance_taken_at = models.DateTimeField(_("attendance taken"), null=True, blank=True)
    # When the first topic / homework was made on a teacher's device without a connection (the
    # offline queue's `made_at`; null: made when it reached the server, `*_entered_at`).
    topic_made_at = models.DateTimeField(_("topic made offline"), null=True, blank=True)
    homework_made_at = models.DateTimeField(_("homework made offline"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["date", "bell_number"]
        indexes = [
            models.Index(fields=["course", "date"]),
            models.Index(fields=["school", "date"]),
            # The compliance worker's minute reads every school's lessons of today and yesterday
            # (no school in the filter): (school, date) cannot serve it, (date) can.
            models.Index(fields=["date"], name="lesson_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.date:%d.%m.%Y}"


def cell_group(lesson_id: int, student_id: int) -> str:
    """The audit group of one journal cell: its marks' and absence's events share it."""
    return f"cell:{lesson_id}:{student_id}"


class Mark(Entered):
    """Отметка: a whole value of the course's scale (or зачёт) for a student in a lesson."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="marks", verbose_name=_("lesson")
    )
    student = models.ForeignKey(
        "people.Student",
        on_delete=models.CASCADE,
        related_name="marks",
        verbose_name=_("student"),
    )
    value = models.CharField(_("mark"), max_length=8)  # «незач» has five letters
    kind = models.ForeignKey(MarkKind, on_delete=models.PROTECT, verbose_name=_("kind of work"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    # When the mark was made offline (the queue's `made_at`); null: when it reached the server.
    made_at = models.DateTimeField(_("made offline"), null=True, blank=True)

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        indexes = [models.Index(fields=["lesson", "student"])]

    def __str__(self) -> str:
        return self.value


class Absence(EnteredBy):
    """A student's absence (or lateness) at a lesson, by the school's code."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="absences", verbose_name=_("lesson")
    )
    student = models.ForeignKey(
        "people.Student",
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name=_("student"),
    )
    code = models.ForeignKey(AbsenceCode, on_delete=models.PROTECT, verbose_name=_("code"))
    minutes_late = models.PositiveSmallIntegerField(_("minutes late"), null=True, blank=True)
    # When the absence was made offline (the queue's `made_at`); null: when it reached the server.
    made_at = models.DateTimeField(_("made offline"), null=True, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "student"], name="absence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}"


class HomeworkFile(StoredFile):
    """A file attached to a lesson's homework."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="homework_files", verbose_name=_("lesson")
    )
    file = models.FileField(_("file"), upload_to="homework/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("homework file")
        verbose_name_plural = _("homework files")


class Substitution(models.Model):
    """Замещение: a substitute teaches this lesson instead of the course's teacher."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    lesson = models.OneToOneField(
        Lesson, on_delete=models.CASCADE, related_name="substitution", verbose_name=_("lesson")
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="substitutions",
        verbose_name=_("substitute"),
    )
    absent_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("absent teacher"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("substitution")
        verbose_name_plural = _("substitutions")

    def __str__(self) -> str:
        return f"{self.lesson}: {self.substitute}"
