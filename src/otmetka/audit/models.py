"""Audit: append-only change events, written in the same transaction as the change and chained
by hash per school; the log of reads of sensitive personal data."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One change: who, when, from where, what it was before and after, and why."""

    school = models.ForeignKey(
        "school.School", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("school")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, verbose_name=_("who")
    )
    # Set when built (not on save): the chain's hash covers it.
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Events read together, e.g. a journal cell's history ("cell:<lesson>:<student>"), found by
    # (school, group) through an index instead of scanning the JSON of every event.
    group_key = models.CharField(_("group"), max_length=60, blank=True, default="", db_default="")
    # The school's chain (`audit.chain`): the hash of the school's previous event and this one's
    # (over its fields and `prev_hash`). Empty on events written before the chain existed.
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, default="")
    hash = models.CharField(_("hash"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["school", "group_key"], name="audit_event_school_group"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Events are appended, never changed (the database refuses an UPDATE too)."""
        if not self._state.adding:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)


class ChainHead(models.Model):
    """The last hash of a school's chain (`school_key` 0: events of no school). Writers lock this
    row to append (`audit.chain.chain_fill`); a database trigger keeps `hash` and `last_id` at
    the newest event inserted."""

    school_key = models.BigIntegerField(_("school"), primary_key=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True, default="")
    last_id = models.BigIntegerField(_("last event"), default=0)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"{self.school_key}: {self.hash[:12]}"


class ReadKind(models.TextChoices):
    HEALTH = "health", _("health data")
    CONTACTS = "contacts", _("contacts")
    CONSENTS = "consents", _("consents")


class Read(models.Model):
    """One read of sensitive personal data (R8): who opened what of which student, when. The
    student is kept by id and name (the log outlives the student's record)."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("data"), max_length=10, choices=ReadKind.choices)
    student_id = models.BigIntegerField(_("student"))
    student_name = models.CharField(_("student"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data read")
        verbose_name_plural = _("personal data reads")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["school", "-at"], name="audit_read_school_at")]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.reader_id} {self.kind} {self.student_name}"
