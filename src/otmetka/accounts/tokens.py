"""API tokens: issued after a password sign-in through the web login's throttle, stored as
their SHA-256 only, ended by expiry, by their owner or by a password change."""

import datetime
import functools
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.accounts.models import ApiToken, User
from otmetka.accounts.services import _school_id
from otmetka.audit.services import event_record
from otmetka.core.rows import from_row, select_list

PREFIX = "otm_"
NAME_MAX = 100
# A token's last use is written at most this often: an app polling every minute is not a write.
TOUCH_EVERY = datetime.timedelta(minutes=10)


class SignInRefused(Exception):
    """A refused token sign-in: `status` (400 wrong, 403 must change password, 429 locked) and
    the Russian message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def sign_in(*, request: HttpRequest, login: str, password: str) -> User:
    """The user of a login and password, checked exactly as the web login checks them (axes'
    lockout and counting, the audit of failures and of the login); SignInRefused otherwise."""
    from axes.handlers.proxy import AxesProxyHandler

    from otmetka.accounts.forms import lockout_message

    user = None
    if login and password and "\x00" not in login + password:
        user = authenticate(request, username=login, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise SignInRefused(429, lockout_message(request, login))
        raise SignInRefused(400, _("Wrong login or password."))
    if user.must_change_password:
        message = _("Your password was issued by the school: sign in on the site and change it.")
        raise SignInRefused(403, message)
    AxesProxyHandler.user_logged_in(sender=User, request=request, user=user)  # reset + audit
    return user


def token_issue(*, user: User, name: str, writable: bool) -> tuple[str, ApiToken]:
    """A new token for `user` → (the token to hand to the client once, its row)."""
    raw = PREFIX + secrets.token_urlsafe(32)
    expires = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:NAME_MAX],
            key_hash=_hash(raw),
            prefix=raw[len(PREFIX) : len(PREFIX) + 8],
            writable=writable,
            expires_at=expires,
        )
        event_record(
            actor=user,
            action="api_token_issue",
            obj=user,
            school_id=_school_id(user),
            after={"token": token.pk, "name": token.name, "writable": writable},
        )
    return raw, token


def key_hash(raw: str) -> str | None:
    """What the table keeps of a token as a client sends it; None for what cannot be one."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    return _hash(raw)


def touch(token_id: int, last_used_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    """Note a token's use when the last note is older than TOUCH_EVERY (whether it wrote)."""
    if last_used_at is not None and now - last_used_at <= TOUCH_EVERY:
        return False
    ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return True


@functools.cache
def _token_sql(vendor: str) -> str:
    """The live token by its hash with its active user (hand-written, built once: the ORM's
    building and compiling of this one query cost more than the database's work)."""
    del vendor  # one text per database: quote_name is the backend's
    qn = connection.ops.quote_name
    return (
        f"SELECT {select_list(ApiToken, 't')}, {select_list(User, 'u')}"
        f" FROM {qn(ApiToken._meta.db_table)} t JOIN {qn(User._meta.db_table)} u"
        " ON u.id = t.user_id WHERE t.key_hash = %s AND t.revoked_at IS NULL"
        " AND t.expires_at > %s AND u.is_active = %s"
    )


def token_user(raw: str) -> ApiToken | None:
    """The live token `raw` with its (active) user, or None; notes its use now and then."""
    hashed = key_hash(raw)
    if hashed is None:
        return None
    now = timezone.now()
    with connection.cursor() as cursor:
        params = [hashed, connection.ops.adapt_datetimefield_value(now), True]
        cursor.execute(_token_sql(connection.vendor), params)
        row = cursor.fetchone()
    if row is None:
        return None
    token, after = from_row(ApiToken, row)
    token.user = from_row(User, row, after)[0]
    if touch(token.pk, token.last_used_at, now):
        token.last_used_at = now
    return token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's tokens that still work, newest first («Мои устройства»)."""
    return ApiToken.objects.filter(user=user, revoked_at=None, expires_at__gt=timezone.now())


def _owned(user: User, token_id: int) -> ApiToken:
    found = tokens_of(user).filter(pk=token_id).first()
    if found is None:
        raise Http404
    return found


def _owner_change(actor: User, token_id: int, action: str, **fields: object) -> None:
    """Change one of the owner's tokens (404 for anyone else's) with its audit event."""
    with transaction.atomic():
        token = _owned(actor, token_id)
        ApiToken.objects.filter(pk=token.pk).update(**fields)
        before = {"token": token.pk, "name": token.name, "writable": token.writable}
        event_record(
            actor=actor,
            action=action,
            obj=actor,
            school_id=_school_id(actor),
            before=before,
            after={**before, **{k: v for k, v in fields.items() if k == "writable"}},
        )


def token_revoke(*, actor: User, token_id: int) -> None:
    """The owner ends one of their tokens (404 for anyone else's)."""
    _owner_change(actor, token_id, "api_token_revoke", revoked_at=timezone.now())


def token_set_writable(*, actor: User, token_id: int, writable: bool) -> None:
    """The owner lets one of their tokens write (send messages) or makes it read-only."""
    _owner_change(actor, token_id, "api_token_update", writable=writable)
