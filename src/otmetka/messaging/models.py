"""Threads, announcements, their messages and attachments, each user's place in a thread
(read, acknowledged, hidden), reports to the director, e-mail settings and outgoing mail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from otmetka.core.models import StoredFile


class Thread(models.Model):
    """A conversation or an announcement between users of one school."""

    class Kind(models.TextChoices):
        CONVERSATION = "conversation", _("conversation")
        ANNOUNCEMENT = "announcement", _("announcement")
        REMINDER = "reminder", _("journal reminder")

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.CONVERSATION
    )
    subject = models.CharField(_("subject"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    # What the author chose ("Parents of 7А", "All teachers"): shown, and kept for the ЭлЖур API.
    audience = models.CharField(_("recipients"), max_length=300, blank=True)
    needs_ack = models.BooleanField(_("needs acknowledgement"), default=False)
    created_at = models.DateTimeField(_("created"), db_index=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [models.Index(fields=["school", "reported_at"])]

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    """One message of a thread. `to_user` set: a private reply seen by that user and the sender
    only (a parent's reply in a thread to the whole class goes to its author alone)."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="messages", verbose_name=_("thread")
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sender"),
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("only to"),
    )
    body = models.TextField(_("text"))
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["thread", "sent_at"]),
            models.Index(fields=["school", "sender", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.thread_id}: {self.body[:40]}"


class Participant(models.Model):
    """A user's place in a thread: what came in and went out last, when they read it, whether
    they acknowledged it or hid it from their own view."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="participants", verbose_name=_("thread")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    last_in_at = models.DateTimeField(_("last received"), null=True, blank=True)
    last_out_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    first_read_at = models.DateTimeField(_("first read"), null=True, blank=True)
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("deleted from own view"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="participant_once"),
        ]
        indexes = [
            models.Index(
                fields=["user", "school", "last_in_at"],
                condition=Q(hidden_at__isnull=True),
                name="participant_inbox",
            ),
            models.Index(
                fields=["user", "school", "last_out_at"],
                condition=Q(hidden_at__isnull=True),
                name="participant_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.thread_id}"

    @property
    def is_unread(self) -> bool:
        """Something came in after the user last read the thread."""
        if self.last_in_at is None:
            return False
        return self.last_read_at is None or self.last_in_at > self.last_read_at


class Attachment(StoredFile):
    """A file attached to a message (the limits and type checks of homework files)."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    file = models.FileField(_("file"), upload_to="messages/%Y/%m/")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class Channel(models.TextChoices):
    """How a user hears of one kind of news."""

    APP = "app", _("in the app only")
    EMAIL = "email", _("an e-mail each time")
    DIGEST = "digest", _("in the daily digest")


# Kinds of news and the channels each may use. Marks, absences and homework come from the
# journal: they are read by the daily digest job (messaging sits above journal in the app order),
# so they are shown in the app or gathered in the digest, never mailed one by one.
KIND_CHANNELS: dict[str, tuple[str, ...]] = {
    "mark": (Channel.APP, Channel.DIGEST),
    "absence": (Channel.APP, Channel.DIGEST),
    "homework": (Channel.APP, Channel.DIGEST),
    "message": (Channel.APP, Channel.EMAIL, Channel.DIGEST),
    "announcement": (Channel.APP, Channel.EMAIL, Channel.DIGEST),
    "reminder": (Channel.APP, Channel.EMAIL),
}
DIGEST_HOUR = 18  # the default hour of the daily digest, school time


class MailSetting(models.Model):
    """A user's notification choices: per kind of news, in the app only, an e-mail each time or
    the daily digest at `digest_hour`. No row: the defaults of `selectors.notification_choices`
    (a parent: digest of marks and absences; everyone: messages in the app only)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mail_setting",
        verbose_name=_("user"),
    )
    mark = models.CharField(_("new marks"), max_length=8, choices=Channel.choices, default="app")
    absence = models.CharField(_("absences"), max_length=8, choices=Channel.choices, default="app")
    homework = models.CharField(_("homework"), max_length=8, choices=Channel.choices, default="app")
    message = models.CharField(_("messages"), max_length=8, choices=Channel.choices, default="app")
    announcement = models.CharField(
        _("announcements"), max_length=8, choices=Channel.choices, default="app"
    )
    reminder = models.CharField(
        _("journal reminders"), max_length=8, choices=Channel.choices, default="app"
    )
    digest_hour = models.PositiveSmallIntegerField(_("digest hour"), default=DIGEST_HOUR)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")
        indexes = [models.Index(fields=["digest_hour"])]

    def __str__(self) -> str:
        return f"{self.user_id}"


class Digest(models.Model):
    """One user's daily digest of one day: the unique row is the claim, so two workers never
    send it twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        EMPTY = "empty", _("nothing new")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    day = models.DateField(_("day"))
    since = models.DateTimeField(_("news since"))
    created_at = models.DateTimeField(_("created"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class OutgoingMail(models.Model):
    """One notification e-mail to one user: queued, sent, or failed after its retries."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="+", verbose_name=_("message")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    address = models.CharField(_("e-mail"), max_length=254)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.address}: {self.status}"
