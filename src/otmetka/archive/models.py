"""The year-end archives a school made (the files live under OTMETKA_DATA_DIR)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Archive(models.Model):
    """One signed archive of a school year: its folder and .zip, the manifest's hash, who made it
    and how many years it is kept (R5). The director's button queues it for the background
    worker: its state goes queued → building (files done of total) → ready or failed."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        BUILDING = "building", _("building")
        READY = "ready", _("ready")
        FAILED = "failed", _("build failed")

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    year = models.ForeignKey(
        "school.AcademicYear", on_delete=models.PROTECT, verbose_name=_("year")
    )
    path = models.CharField(_("folder"), max_length=500, blank=True, default="")
    manifest_sha256 = models.CharField(
        _("SHA-256 of the manifest"), max_length=64, blank=True, default=""
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.READY)
    done = models.PositiveIntegerField(_("files written"), default=0)
    total = models.PositiveIntegerField(_("files in all"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True, default="")
    files = models.PositiveIntegerField(_("files"), default=0)
    size = models.PositiveBigIntegerField(_("size, bytes"), default=0)
    retention_years = models.PositiveSmallIntegerField(_("kept, years"), default=5)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)

    class Meta:
        verbose_name = _("year archive")
        verbose_name_plural = _("year archives")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "year"])]

    def __str__(self) -> str:
        return f"{self.year} {self.created_at:%Y-%m-%d}"

    @property
    def keep_until(self) -> int:
        """The calendar year until which the archive is kept."""
        return self.year.end.year + self.retention_years
