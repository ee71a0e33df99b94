"""Writes on accounts: passwords and issued credentials."""

import secrets
from typing import Any

from django.db import transaction

from otmetka.accounts.models import User
from otmetka.audit.services import event_record

# No look-alike characters: issued passwords are read off paper by children and parents.
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def password_generate(length: int = 10) -> str:
    """A random password easy to copy from a printed slip."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def password_change(*, actor: User, new_password: str) -> None:
    """The user sets their own password; an issued password stops being forced."""
    with transaction.atomic():
        actor.set_password(new_password)
        actor.must_change_password = False
        actor.save(update_fields=["password", "must_change_password"])
        event_record(actor=actor, action="password_change", obj=actor)


def password_issue(*, actor: Any, user: User, school_id: int | None = None) -> str:
    """Issue a new password that must be changed at first login; returns it for printing."""
    password = password_generate()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        event_record(actor=actor, action="password_issue", obj=user, school_id=school_id)
    return password
