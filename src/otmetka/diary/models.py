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
