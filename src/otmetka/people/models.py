"""People of a school: students, their guardians and staff records."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from otmetka.core.models import EnteredBy, StoredFile


class Gender(models.TextChoices):
    MALE = "m", _("male")
    FEMALE = "f", _("female")


class Student(models.Model):
    """Обучающийся: a child on the school's roll; may have a login (`user`)."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="student",
        verbose_name=_("login"),
    )
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    snils = models.CharField(_("SNILS"), max_length=14, blank=True)
    # Data freshness (4.1–4.2): the identity document, and the day the homeroom teacher last
    # confirmed the record is current.
    document = models.CharField(_("identity document"), max_length=200, blank=True)
    data_confirmed_on = models.DateField(_("data confirmed current on"), null=True, blank=True)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["last_name", "first_name", "middle_name"]
        indexes = [models.Index(fields=["school", "last_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class Guardian(models.Model):
    """A guardian link: this user is a parent or legal representative of this student.
    A user may be linked to several children and a child to several guardians."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("mother")
        FATHER = "father", _("father")
        OTHER = "other", _("legal representative")

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="guardians", verbose_name=_("student")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guardianships",
        verbose_name=_("guardian"),
    )
    relation = models.CharField(
        _("relation"), max_length=10, choices=Relation.choices, default=Relation.OTHER
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The link's last day (a departure, a court decision): from the next day it gives no access.
    end = models.DateField(_("link ends on"), null=True, blank=True)
    end_basis = models.CharField(_("basis for the end"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        constraints = [
            models.UniqueConstraint(fields=["student", "user"], name="guardian_unique_link"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.student}"


class Staff(models.Model):
    """An employment record: this user works at this school in this position."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_records",
        verbose_name=_("user"),
    )
    position = models.CharField(_("position"), max_length=200)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "user"], name="staff_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.position}"


class ConsentKind(models.TextChoices):
    # Consents for different purposes are separate documents (R17): the website's is its own.
    PROCESSING = "processing", _("processing of personal data")
    PUBLICATION = "publication", _("publication (permitted for distribution)")


class Consent(StoredFile, EnteredBy):
    """A consent to personal data processing of a student, signed by the student or a guardian,
    with its scanned copy (optional); a withdrawal ends it from that day (R17, R19)."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="consents", verbose_name=_("student")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ConsentKind.choices)
    signed_by = models.CharField(_("signed by"), max_length=300)
    given_on = models.DateField(_("date"))
    scope = models.CharField(_("scope"), max_length=500, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    file = models.FileField(_("scanned copy"), upload_to="consents/%Y/%m/", blank=True)
    name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["school", "student"], name="people_consent_student")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.given_on:%d.%m.%Y}"


class HealthGroup(models.TextChoices):
    I = "1", "I"  # noqa: E741 — the group's own name
    II = "2", "II"
    III = "3", "III"
    IV = "4", "IV"
    V = "5", "V"


class PEGroup(models.TextChoices):
    MAIN = "main", _("main")
    PREPARATORY = "preparatory", _("preparatory")
    SPECIAL_A = "special_a", _("special A")
    SPECIAL_B = "special_b", _("special B")
    EXEMPT = "exempt", _("exempt")


class HealthRecord(EnteredBy):
    """The nurse's record of a student's health group and PE group from a date (special category
    of personal data, R18); a new record replaces the previous one from its date."""

    school = models.ForeignKey("school.School", on_delete=models.CASCADE, verbose_name=_("school"))
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="health", verbose_name=_("student")
    )
    health_group = models.CharField(_("health group"), max_length=1, choices=HealthGroup.choices)
    pe_group = models.CharField(_("PE group"), max_length=12, choices=PEGroup.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    basis = models.CharField(_("basis"), max_length=300)

    class Meta:
        verbose_name = _("health record")
        verbose_name_plural = _("health records")
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["school", "student"], name="people_health_student")]

    def __str__(self) -> str:
        return f"{self.get_health_group_display()} / {self.get_pe_group_display()}"
