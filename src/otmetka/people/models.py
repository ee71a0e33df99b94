"""People of a school: students, their guardians and staff records."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
