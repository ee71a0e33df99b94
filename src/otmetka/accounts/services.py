"""Writes on accounts: passwords and issued credentials."""

import secrets
from collections.abc import Callable
from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth.hashers import get_hashers_by_algorithm, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from otmetka.accounts.models import ApiToken, User
from otmetka.accounts.selectors import login_normalise, user_by_login
from otmetka.audit.services import event_record

# No look-alike characters: issued passwords are read off paper by children and parents.
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def password_generate(length: int = 10, *, user: User | None = None) -> str:
    """A random password easy to copy from a printed slip that passes the password validators."""
    while True:
        password = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        try:
            validate_password(password, user)
        except ValidationError:
            continue  # a rare draw that spells a common word or the user's name: draw again
        return password


# How the school of a user's events is found: by access's rules, which sit above accounts in the
# app order, so access registers its function at start-up (AccessConfig.ready).
SchoolOf = Callable[[User, HttpRequest | None], int | None]
_school_of: list[SchoolOf] = []


def school_of_register(school_of: SchoolOf) -> None:
    """Register how the school of a user's events is found (access does, at start-up)."""
    _school_of[:] = [school_of]


def _school_id(user: User, request: HttpRequest | None = None) -> int | None:
    """The user's current school (the session's if theirs), for the school of their events."""
    return _school_of[0](user, request) if _school_of else None


def password_change(*, actor: User, new_password: str, school_id: int | None = None) -> None:
    """The user sets their own password; an issued password stops being forced."""
    with transaction.atomic():
        actor.set_password(new_password)
        actor.must_change_password = False
        actor.save(update_fields=["password", "must_change_password"])
        tokens_revoke_all(actor)
        event_record(
            actor=actor,
            action="password_change",
            obj=actor,
            school_id=school_id or _school_id(actor),
        )


def tokens_revoke_all(user: User) -> int:
    """End every API token of the user: their password changed (call in its transaction)."""
    return ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())


def login_record(*, user: User, request: HttpRequest) -> None:
    """A successful login, in the audit under the school the session starts in."""
    with transaction.atomic():
        event_record(actor=user, action="login", obj=user, school_id=_school_id(user, request))


def login_failure_record(*, login: str, locked: bool) -> None:
    """A failed login to an existing account, and the lockout it caused, in the audit.

    Failures for logins that belong to nobody are only counted by the throttle (whose rows
    expire): written here they would let anyone grow the audit table for ever."""
    user = user_by_login(login)
    if user is None:
        return
    school_id = _school_id(user)
    with transaction.atomic():
        event_record(actor=None, action="login_failure", obj=user, school_id=school_id)
        if locked:
            event_record(actor=None, action="login_lockout", obj=user, school_id=school_id)


ISSUED_HASHER = "argon2_issued"


def _issued_hash(password: str) -> str:
    """An issued password hashed by the light hasher for one-time passwords where the
    installation has it (hashers.IssuedArgon2Hasher), else by the default one."""
    if ISSUED_HASHER in get_hashers_by_algorithm():
        return make_password(password, hasher=ISSUED_HASHER)
    return make_password(password)


def passwords_draw(users: list[User]) -> list[str]:
    """New one-time passwords, hashed onto the (saved or not yet saved) user objects with the
    forced change set, nothing written: the slow part, to be done outside any transaction (on
    SQLite a transaction holds the one write lock). Returns the passwords in the users' order."""
    passwords = []
    for user in users:
        password = password_generate(user=user)
        user.password = _issued_hash(password)
        user.must_change_password = True
        passwords.append(password)
    return passwords


def _passwords_write(users: list[User]) -> None:
    """Save drawn passwords (`passwords_draw`); the logins' failed attempts go with the old
    passwords, and so do the API tokens. Three queries (a few more past 500 people) whatever the
    number of people."""
    User.objects.bulk_update(users, ["password", "must_change_password"], batch_size=500)
    ApiToken.objects.filter(user__in=users, revoked_at=None).update(revoked_at=timezone.now())
    logins = [login_normalise(u.username) for u in users]
    AccessAttempt.objects.filter(username__in=logins).delete()


def _passwords_set(users: list[User]) -> dict[int, str]:
    """New issued passwords on saved users (call in a transaction): user id → password."""
    passwords = passwords_draw(users)
    _passwords_write(users)
    return {u.pk: p for u, p in zip(users, passwords, strict=True)}


def password_issue(*, actor: User, user: User, school_id: int | None = None) -> str:
    """Issue a new password that must be changed at first login; returns it for printing. The
    login's failed attempts go with the old password: a locked-out person can sign in at once
    (the lock page tells them to ask the school's administrator for exactly this)."""
    with transaction.atomic():
        password = _passwords_set([user])[user.pk]
        event_record(actor=actor, action="password_issue", obj=user, school_id=school_id)
    return password


def passwords_issue(
    *,
    actor: User,
    users: list[User],
    obj: models.Model,
    school_id: int | None = None,
    extra: dict[str, Any] | None = None,
    drawn: list[str] | None = None,
) -> dict[int, str]:
    """Issue new passwords to several people at once (a class's credential slips): user id →
    password, for printing. One audit event on `obj` lists the users (ids and logins) and
    whatever `extra` the caller adds. The passwords are hashed before the transaction; users
    whose passwords are already drawn (`passwords_draw`) pass them as `drawn`."""
    passwords = drawn if drawn is not None else passwords_draw(users)
    issued = {u.pk: p for u, p in zip(users, passwords, strict=True)}
    with transaction.atomic():
        _passwords_write(users)
        event_record(
            actor=actor,
            action="passwords_issue",
            obj=obj,
            school_id=school_id,
            after={"users": [{"id": u.pk, "login": u.username} for u in users], **(extra or {})},
        )
    return issued
