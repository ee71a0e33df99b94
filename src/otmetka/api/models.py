"""What the API keeps: the first answer to a write sent with an Idempotency-Key."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotentRequest(models.Model):
    """A write a client sent with an Idempotency-Key, and its answer, so a retry after a lost
    answer gets the same answer instead of a second write. Written in the write's transaction;
    `otmetka idempotency_prune` removes rows older than a day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=100)
    target = models.CharField(_("method and path"), max_length=300)
    fingerprint = models.CharField(_("request hash"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"))
    body = models.JSONField(_("answer"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotent_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.key}"
