"""The school's public pages: contacts, news and documents that the director approves, their
files and pictures, help links, and the staff the admin allows to submit documents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from otmetka.core.models import StoredFile


class SiteProfile(models.Model):
    """What the public home page says about the school besides its name: address, contacts."""

    school = models.OneToOneField(
        "school.School", on_delete=models.CASCADE, related_name="site", verbose_name=_("school")
    )
    address = models.CharField(_("address"), max_length=400, blank=True)
    phone = models.CharField(_("phone"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), max_length=200, blank=True)
    director_name = models.CharField(
        _("director"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the name of the director's account."),
    )
    about = models.TextField(_("about the school"), blank=True)

    class Meta:
        verbose_name = _("school website")
        verbose_name_plural = _("school websites")

    def __str__(self) -> str:
        return str(self.school_id)


class Publication(models.Model):
    """A news item or a document: drafted, submitted, approved by the director (then public) or
    returned with a comment."""

    class Kind(models.TextChoices):
        NEWS = "news", _("news item")
        DOCUMENT = "document", _("document")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PENDING = "pending", _("awaiting approval")
        PUBLISHED = "published", _("published")
        RETURNED = "returned", _("returned")

    class Category(models.TextChoices):
        REGULATION = "regulation", _("Regulations")
        ORDER = "order", _("Orders")
        ASSESSMENT = "assessment", _("Schedule of assessment procedures")
        REPORT = "report", _("Reports")

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, blank=True)
    doc_number = models.CharField(_("number"), max_length=50, blank=True)
    doc_date = models.DateField(_("date of the document"), null=True, blank=True)
    students = models.ManyToManyField(
        "people.Student", blank=True, related_name="+", verbose_name=_("students named")
    )
    consent_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("consents checked by"),
    )
    consent_checked_at = models.DateTimeField(_("consents checked"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("drafted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    return_comment = models.TextField(_("director's comment"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["school", "kind", "state", "-published_at"], name="pub_public"),
        ]

    def __str__(self) -> str:
        return self.title


class PublicationFile(StoredFile):
    """A document's file or a news item's picture; a picture also keeps a resized copy for the
    page (the original stays as uploaded)."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="files", verbose_name=_("publication")
    )
    file = models.FileField(_("file"), upload_to="portal/%Y/%m/")
    display = models.FileField(_("picture for the page"), upload_to="portal/%Y/%m/", blank=True)
    alt = models.CharField(_("description of the picture"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("publication file")
        verbose_name_plural = _("publication files")
        ordering = ["pk"]

    @property
    def is_image(self) -> bool:
        return bool(self.display)


class HelpLink(models.Model):
    """A link to help for the journal's users («Как войти в дневник»), for everyone or a role."""

    class Audience(models.TextChoices):
        ALL = "all", _("everyone")
        GUARDIANS = "guardians", _("parents")
        STUDENTS = "students", _("students")
        TEACHERS = "teachers", _("teachers")

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500)
    audience = models.CharField(_("for whom"), max_length=10, choices=Audience.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("help link")
        verbose_name_plural = _("help links")
        ordering = ["audience", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Submitter(models.Model):
    """A staff member the admin allows to submit documents (besides the deputy)."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )

    class Meta:
        verbose_name = _("document submitter")
        verbose_name_plural = _("document submitters")
        constraints = [
            models.UniqueConstraint(fields=["school", "user"], name="portal_submitter_unique"),
        ]

    def __str__(self) -> str:
        return str(self.user_id)
