"""Period and year marks (итоговые отметки) and the school's marking policy."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from otmetka.core.models import Entered, EnteredBy

NA, EXEMPT, PASS, FAIL = "н/а", "осв", "зач", "незач"
CODES = (NA, EXEMPT)


class MarkingPolicy(models.Model):
    """How a school turns current marks into a suggested period mark (R26–R28); a row without a
    grade is the school's default, a row with one overrides it for that grade."""

    class Mean(models.TextChoices):
        SIMPLE = "simple", _("simple mean")
        WEIGHTED = "weighted", _("weighted mean (by the kinds of work)")

    class Rounding(models.TextChoices):
        HALF_UP = "half_up", _("mathematical rounding (2.5 → 3)")
        THRESHOLDS = "thresholds", _("thresholds")

    class YearRule(models.TextChoices):
        PERIODS = "periods", _("mean of the period marks (quarters or half-years)")
        ATTESTATION = "attestation", _("mean of the period marks and the attestation work")

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    grade = models.PositiveSmallIntegerField(
        _("grade"), null=True, blank=True, help_text=_("Empty: the whole school.")
    )
    mean = models.CharField(_("mean"), max_length=10, choices=Mean.choices, default=Mean.WEIGHTED)
    rounding = models.CharField(
        _("rounding"), max_length=12, choices=Rounding.choices, default=Rounding.HALF_UP
    )
    threshold_5 = models.DecimalField(
        _("«5» from"), max_digits=3, decimal_places=2, default=Decimal("4.65")
    )
    threshold_4 = models.DecimalField(
        _("«4» from"), max_digits=3, decimal_places=2, default=Decimal("3.65")
    )
    threshold_3 = models.DecimalField(
        _("«3» from"), max_digits=3, decimal_places=2, default=Decimal("2.65")
    )
    min_short_1h = models.PositiveSmallIntegerField(
        _("minimum marks a quarter or trimester, 1 hour a week"), default=3
    )
    min_short_2h = models.PositiveSmallIntegerField(
        _("minimum marks a quarter or trimester, 2 hours a week"), default=5
    )
    min_short_3h = models.PositiveSmallIntegerField(
        _("minimum marks a quarter or trimester, 3 or more hours a week"), default=7
    )
    min_half_1h = models.PositiveSmallIntegerField(
        _("minimum marks a half-year, 1 hour a week"), default=5
    )
    min_half_2h = models.PositiveSmallIntegerField(
        _("minimum marks a half-year, 2 hours a week"), default=8
    )
    min_half_3h = models.PositiveSmallIntegerField(
        _("minimum marks a half-year, 3 or more hours a week"), default=10
    )
    warn_days = models.PositiveSmallIntegerField(
        _("warn about too few marks, days before the period ends"), default=14
    )
    year_rule = models.CharField(
        _("year mark"), max_length=12, choices=YearRule.choices, default=YearRule.PERIODS
    )
    attestation_kind = models.ForeignKey(
        "journal.MarkKind",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("kind of work of the attestation"),
    )
    attestation_weight = models.DecimalField(
        _("weight of the attestation work"), max_digits=3, decimal_places=1, default=Decimal("1")
    )

    class Meta:
        verbose_name = _("marking policy")
        verbose_name_plural = _("marking policies")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "grade"], name="policy_unique_grade", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=Q(threshold_5__gt=models.F("threshold_4"))
                & Q(threshold_4__gt=models.F("threshold_3")),
                name="policy_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.grade or ''}".strip()


class PeriodMark(Entered):
    """Итоговая отметка: a student's mark of a course for a period, or for the year when
    `period` is empty — a value of the course's scale or a code («н/а», «осв»)."""

    class NaReason(models.TextChoices):
        VALID = "valid", _("valid reason")
        INVALID = "invalid", _("no valid reason")

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    student = models.ForeignKey(
        "people.Student",
        on_delete=models.CASCADE,
        related_name="period_marks",
        verbose_name=_("student"),
    )
    course = models.ForeignKey(
        "curriculum.Course",
        on_delete=models.CASCADE,
        related_name="period_marks",
        verbose_name=_("course"),
    )
    year = models.ForeignKey(
        "school.AcademicYear", on_delete=models.CASCADE, verbose_name=_("year")
    )
    period = models.ForeignKey(
        "school.Period",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("period"),
        help_text=_("Empty: the year mark."),
    )
    value = models.CharField(_("mark"), max_length=8)
    na_reason = models.CharField(
        _("reason of «н/а»"), max_length=8, choices=NaReason.choices, blank=True
    )
    basis = models.CharField(
        _("basis"),
        max_length=200,
        blank=True,
        help_text=_("For «осв»: the document (e.g. a certificate number), no diagnosis."),
    )
    suggested = models.CharField(_("suggested"), max_length=8, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("period mark")
        verbose_name_plural = _("period marks")
        indexes = [
            models.Index(fields=["course", "period"]),
            models.Index(fields=["school", "student"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "course", "period"],
                condition=Q(is_deleted=False, period__isnull=False),
                name="periodmark_unique",
            ),
            models.UniqueConstraint(
                fields=["student", "course", "year"],
                condition=Q(is_deleted=False, period__isnull=True),
                name="periodmark_unique_year",
            ),
        ]

    def __str__(self) -> str:
        return self.value

    @property
    def differs(self) -> bool:
        """The teacher chose another value than the suggestion (flagged for the deputy)."""
        return bool(self.suggested) and self.value != self.suggested


DEFAULT_LEVELS = "высокий, средний, низкий"
LEVEL_MAX = 8  # a level is stored as a period mark's value


class MasteryScale(models.Model):
    """How a mastery sheet (ведомость освоения) of an extracurricular or additional-education
    course is filled: «зач»/«незач», or the course's own levels (e.g. высокий/средний/низкий);
    without a row a course uses «зач»/«незач». The values are period marks of the course."""

    class Kind(models.TextChoices):
        PASS_FAIL = "pass_fail", _("pass / fail")
        LEVELS = "levels", _("levels")

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    course = models.OneToOneField(
        "curriculum.Course",
        on_delete=models.CASCADE,
        related_name="mastery_scale",
        verbose_name=_("course"),
    )
    kind = models.CharField(_("scale"), max_length=10, choices=Kind.choices, default=Kind.PASS_FAIL)
    levels = models.CharField(
        _("levels"),
        max_length=100,
        default=DEFAULT_LEVELS,
        help_text=_("From the highest, separated by commas; up to 8 characters each."),
    )

    class Meta:
        verbose_name = _("mastery sheet scale")
        verbose_name_plural = _("mastery sheet scales")

    def __str__(self) -> str:
        return f"{self.course_id}: {self.kind}"

    def values(self) -> list[str]:
        """The values of the sheet, from the highest."""
        if self.kind == self.Kind.LEVELS:
            return level_list(self.levels)
        return [PASS, FAIL]


def level_list(text: str) -> list[str]:
    """Levels as typed ("высокий, средний, низкий") → ["высокий", "средний", "низкий"]."""
    return [p.strip().lower() for p in text.split(",") if p.strip()]


class AcademicDebt(EnteredBy):
    """Академическая задолженность (273-ФЗ ст. 58, R12): a year «2»/«незач» or «н/а» without a
    valid reason opens one per student × course × year; a passing retake closes it."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("cleared")
        CANCELLED = "cancelled", _("cancelled (the year mark was corrected)")

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    student = models.ForeignKey(
        "people.Student", on_delete=models.CASCADE, related_name="debts", verbose_name=_("student")
    )
    course = models.ForeignKey(
        "curriculum.Course",
        on_delete=models.CASCADE,
        related_name="debts",
        verbose_name=_("course"),
    )
    year = models.ForeignKey(
        "school.AcademicYear", on_delete=models.CASCADE, verbose_name=_("year")
    )
    value = models.CharField(_("year mark"), max_length=8)
    arose_on = models.DateField(_("arose on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_on = models.DateField(_("cleared on"), null=True, blank=True)

    class Meta:
        verbose_name = _("academic debt")
        verbose_name_plural = _("academic debts")
        indexes = [models.Index(fields=["school", "year", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["student", "course", "year"], name="debt_unique")
        ]

    def __str__(self) -> str:
        return f"{self.student_id}:{self.course_id}:{self.value}"


class Retake(EnteredBy):
    """One attempt to clear a debt (R13): at most two, the second before a commission."""

    debt = models.ForeignKey(
        AcademicDebt, on_delete=models.CASCADE, related_name="retakes", verbose_name=_("debt")
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    date = models.DateField(_("date"))
    result = models.CharField(_("result"), max_length=8)
    commission = models.CharField(_("commission"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("retake")
        verbose_name_plural = _("retakes")
        constraints = [
            models.UniqueConstraint(fields=["debt", "number"], name="retake_unique"),
            models.CheckConstraint(condition=Q(number__in=[1, 2]), name="retake_at_most_two"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.result}"


class DebtPause(EnteredBy):
    """A recorded illness (or leave) of a student: the days it covers extend the one-year
    window of the student's debts (R13)."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    student = models.ForeignKey(
        "people.Student",
        on_delete=models.CASCADE,
        related_name="debt_pauses",
        verbose_name=_("student"),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    basis = models.CharField(
        _("basis"), max_length=200, help_text=_("The document, e.g. a certificate number.")
    )

    class Meta:
        verbose_name = _("illness period")
        verbose_name_plural = _("illness periods")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="pause_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


class ConditionalTransfer(EnteredBy):
    """«Переведён условно» (273-ФЗ ст. 58 ч. 8, R14): a student with debts (or a year «н/а»
    for a valid reason) moves up by the school's order."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    student = models.ForeignKey(
        "people.Student",
        on_delete=models.CASCADE,
        related_name="conditional_transfers",
        verbose_name=_("student"),
    )
    year = models.ForeignKey(
        "school.AcademicYear", on_delete=models.CASCADE, verbose_name=_("year")
    )
    order_number = models.CharField(_("order number"), max_length=40)
    order_date = models.DateField(_("order date"))

    class Meta:
        verbose_name = _("conditional transfer")
        verbose_name_plural = _("conditional transfers")
        constraints = [models.UniqueConstraint(fields=["student", "year"], name="transfer_unique")]

    def __str__(self) -> str:
        return f"{self.order_number} {self.order_date}"
