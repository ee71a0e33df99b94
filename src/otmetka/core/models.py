"""Abstract bases of models that several apps keep the same way (no tables of their own)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """An uploaded file as stored: its original name and size. Each model keeps its own `file`
    field (its own folder); the content is sniffed and the size limited before it is saved
    (`core.uploads.homework_file_content_check`)."""

    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class EnteredBy(models.Model):
    """Who entered a row and when."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        abstract = True


class Entered(EnteredBy):
    """Who entered a row and when, when it last changed, and whether it is deleted (soft: the
    row stays for its audit history)."""

    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    is_deleted = models.BooleanField(_("deleted"), default=False)

    class Meta:
        abstract = True
