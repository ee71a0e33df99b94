"""The school in the computer: tenancy, the academic year, its periods, the calendar and classes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from otmetka.core.dates import SpanQuerySet
from otmetka.core.models import StoredFile


class Region(models.Model):
    """A subject of the federation (Республика Крым) — the top of the tenancy tree."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(_("code"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A municipal district (Сакский район) with its education department."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="district_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """One educational organisation; every school-owned row carries its id."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name=_("district"))
    name = models.CharField(_("full name"), max_length=400)
    short_name = models.CharField(_("short name"), max_length=200)
    # The school's public pages live at /s/<slug>/ (at /s/<id>/ while it has none).
    slug = models.SlugField(
        _("address of the public pages"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Latin letters, digits and hyphens: /s/<address>/."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Moscow")
    six_day_from_grade = models.PositiveSmallIntegerField(
        _("six-day week from grade"),
        default=0,
        help_text=_("Classes of this grade and above study six days a week; 0 means none do."),
    )
    period_close_after_days = models.PositiveSmallIntegerField(
        _("journal closes days after the period"),
        null=True,
        blank=True,
        default=10,
        help_text=_(
            "A period's journal closes this many days after its last day; empty: only "
            "when the deputy closes it."
        ),
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name

    def week_days_for_grade(self, grade: int) -> int:
        """5 or 6: the default school week of a grade in this school."""
        return 6 if self.six_day_from_grade and grade >= self.six_day_from_grade else 5


class AcademicYear(models.Model):
    """A school year (2025/2026) with its first and last study day."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=20)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="year_unique_name"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="year_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The last day must be after the first day.")})


class PeriodScheme(models.TextChoices):
    QUARTERS = "quarters", _("quarters")
    HALVES = "halves", _("half-years")
    TRIMESTERS = "trimesters", _("trimesters")


SCHEME_PERIOD_COUNT = {PeriodScheme.QUARTERS: 4, PeriodScheme.HALVES: 2, PeriodScheme.TRIMESTERS: 3}


class Period(models.Model):
    """A study period of a scheme: the 2nd quarter, the 1st half-year…"""

    school = models.ForeignKey(School, on_delete=models.CASCADE, verbose_name=_("school"))
    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, verbose_name=_("year"))
    scheme = models.CharField(_("scheme"), max_length=12, choices=PeriodScheme.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    closed_at = models.DateTimeField(
        _("journal closed"),
        null=True,
        blank=True,
        help_text=_("Set by the deputy; after it only the deputy changes the period's journal."),
    )

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["year", "scheme", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "scheme", "number"], name="period_unique_number"
            ),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    @property
    def name(self) -> str:
        names = {
            PeriodScheme.QUARTERS: _("quarter"),
            PeriodScheme.HALVES: _("half-year"),
            PeriodScheme.TRIMESTERS: _("trimester"),
        }
        return f"{self.number} {names[PeriodScheme(self.scheme)]}"


class Vacation(models.Model):
    """Каникулы: days with no lessons, for the whole school or a range of grades."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, verbose_name=_("school"))
    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, verbose_name=_("year"))
    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    min_grade = models.PositiveSmallIntegerField(_("from grade"), default=1)
    max_grade = models.PositiveSmallIntegerField(_("to grade"), default=11)

    class Meta:
        verbose_name = _("vacation")
        verbose_name_plural = _("vacations")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="vacation_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%d.%m}–{self.end:%d.%m})"


class DayKind(models.TextChoices):
    DAY_OFF = "day_off", _("day off")
    WORKING = "working", _("working day")
    QUARANTINE = "quarantine", _("quarantine (no lessons)")


class CalendarOverride(models.Model):
    """One date the regional or school calendar changes on top of the federal production calendar:
    Crimea's extra days off, a working Saturday, a quarantine."""

    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("region")
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("school")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=DayKind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    min_grade = models.PositiveSmallIntegerField(_("from grade"), default=1)
    max_grade = models.PositiveSmallIntegerField(_("to grade"), default=11)

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, school__isnull=True)
                | Q(region__isnull=True, school__isnull=False),
                name="override_region_xor_school",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}: {self.get_kind_display()} — {self.reason}"


class SchoolClass(models.Model):
    """A class of a year (7Б): grade, letter, homeroom teacher, period scheme and week."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, verbose_name=_("school"))
    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, verbose_name=_("year"))
    grade = models.PositiveSmallIntegerField(_("grade"))
    letter = models.CharField(_("letter"), max_length=4)
    homeroom_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="homeroom_classes",
        verbose_name=_("homeroom teacher"),
    )
    period_scheme = models.CharField(
        _("period scheme"), max_length=12, choices=PeriodScheme.choices
    )
    week_days = models.PositiveSmallIntegerField(
        _("days a week"), choices=[(5, _("5 days")), (6, _("6 days"))], default=5
    )

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["grade", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "grade", "letter"], name="class_unique_name"),
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=11), name="class_grade_1_11"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade}{self.letter}"


class Enrollment(models.Model):
    """A student in a class from one date to another; history is kept, so a class list on any
    date is correct."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, verbose_name=_("school"))
    student = models.ForeignKey(
        "people.Student",
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("student"),
    )
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("class")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    order_ref = models.CharField(_("order"), max_length=100, blank=True)

    objects = SpanQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["start"]
        indexes = [models.Index(fields=["school_class", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="enrollment_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.school_class}"


class Bell(models.Model):
    """A lesson slot of a bell schedule: lesson 3 of the first shift runs 10:00–10:40."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, verbose_name=_("school"))
    schedule = models.CharField(_("bell schedule"), max_length=50, default="1 смена")
    number = models.PositiveSmallIntegerField(_("lesson number"))
    start = models.TimeField(_("starts"))
    end = models.TimeField(_("ends"))

    class Meta:
        verbose_name = _("bell")
        verbose_name_plural = _("bells")
        ordering = ["schedule", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "schedule", "number"], name="bell_unique"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="bell_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.start:%H:%M}–{self.end:%H:%M}"


class ReferenceVersion(models.Model):
    """The version of a school's reference data — its periods, kinds of work, absence codes and
    marking policies (`otmetka.school.refcache`): a random number that database triggers replace,
    in the writing transaction, on every insert, update or delete of those rows (bulk updates
    and raw SQL included). A cache keyed by it is never stale in any process. No row: version 0.
    No foreign key: a school deleted with its rows leaves its last version behind, harmless."""

    school_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("reference data version")
        verbose_name_plural = _("reference data versions")

    def __str__(self) -> str:
        return f"{self.school_id}: {self.version}"


class LocalActKind(models.TextChoices):
    JOURNAL = "journal", _("Regulation on keeping the electronic journal")
    ASSESSMENT = "assessment", _("Regulation on ongoing and interim assessment")
    ORDER = "order", _("Order")
    OTHER = "other", _("Other local act")


class LocalAct(StoredFile):
    """A local act of the school (Положение о ведении ЭЖ, о текущем контроле…) with its dates and
    the signed text as a PDF."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, verbose_name=_("school"))
    kind = models.CharField(_("kind"), max_length=12, choices=LocalActKind.choices)
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("number"), max_length=50, blank=True)
    approved_on = models.DateField(_("approved on"))
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="local_acts/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("local act")
        verbose_name_plural = _("local acts")
        ordering = ["-approved_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_from__isnull=True) | Q(effective_from__gte=F("approved_on")),
                name="local_act_in_force_after_approval",
            ),
        ]

    def __str__(self) -> str:
        return self.title
