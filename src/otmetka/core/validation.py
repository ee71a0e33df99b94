"""The ground floor of every service: collecting Russian problems per field, refusing them at
once, and treating another school's row as missing."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404

Errors = dict[str, list[str]]


def fail_if(errors: Errors) -> None:
    """Raise all collected problems at once (field → messages)."""
    if errors:
        raise ValidationError(errors)


def add(errors: Errors, field: str, message: str) -> None:
    """Collect one problem of a field ("__all__" for the form as a whole)."""
    errors.setdefault(field, []).append(message)


def own(obj: models.Model, school: Any) -> None:
    """A row of another school is as good as missing."""
    if getattr(obj, "school_id", None) != school.pk:
        raise Http404
