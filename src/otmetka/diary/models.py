"""What the diary remembers of its reader: the child (and so the school) last chosen."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DiaryChoice(models.Model):
    """The student whose diary the user opened last (a parent's child; a student themself)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="diary_choice",
        verbose_name=_("user"),
    )
    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    student = models.ForeignKey(
        "people.Student", on_delete=models.CASCADE, related_name="+", verbose_name=_("student")
    )
    chosen_at = models.DateTimeField(_("chosen"), auto_now=True)

    class Meta:
        verbose_name = _("diary choice")
        verbose_name_plural = _("diary choices")

    def __str__(self) -> str:
        return f"{self.user} → {self.student}"


class DiaryVisit(models.Model):
    """When the user last opened a student's diary, and since when the diary shows entries as new
    (the previous visit: a visit ends after `VISIT_GAP` without opening the diary)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    student = models.ForeignKey(
        "people.Student", on_delete=models.CASCADE, related_name="+", verbose_name=_("student")
    )
    seen_at = models.DateTimeField(_("last opened"))
    new_since = models.DateTimeField(_("new since"))

    class Meta:
        verbose_name = _("diary visit")
        verbose_name_plural = _("diary visits")
        constraints = [
            models.UniqueConstraint(fields=["user", "student"], name="diary_visit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.student}: {self.seen_at}"


class DiaryViewDay(models.Model):
    """How many times guardians opened the diary in a school on a day, counted once per guardian
    and child a day (one row per school and day, incremented in place)."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("guardians' views"), default=0)

    class Meta:
        verbose_name = _("guardians' diary views of a day")
        verbose_name_plural = _("guardians' diary views by day")
        constraints = [
            models.UniqueConstraint(fields=["school", "day"], name="diary_view_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.day}: {self.views}"
