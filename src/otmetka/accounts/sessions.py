"""The session engine (`SESSION_ENGINE`): Django's database sessions in `accounts.Session`, whose
row carries its user's id, so that a request reads the session and its user in ONE statement.

`SessionStore.load` reads the session row LEFT JOINed to its user's row (one hand-written
statement, its text built once); the user row goes to the authentication
(`SessionUserMiddleware` → `LoginBackend.get_user`), which then checks it exactly as Django
does with a user it read itself: the backend refuses an inactive user, the session's auth hash
must match the user's password, and the access context is rebuilt when the row's
`auth_version` moved. The row is read in the same statement as the session on every request,
so none of these is any less fresh. Logout flushes the session (its row is deleted)."""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from typing import TYPE_CHECKING, Any

import orjson
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core import signing
from django.db import connection, connections, router
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from otmetka.core.rows import from_row, planned_cursor

if TYPE_CHECKING:
    from django.db.models import Field
    from django.http import HttpRequest

    from otmetka.accounts.models import Session, User

# The user row read with the session, while `django.contrib.auth.get_user` asks the backend.
LOADED: ContextVar[Any] = ContextVar("otmetka_session_user", default=None)
# Signed session texts already verified by this process → their JSON payload (see `decode`).
VERIFIED: dict[tuple[Any, ...], bytes] = {}
VERIFIED_MAX = 512


class OrjsonSerializer:
    """The sessions' serializer (`SESSION_SERIALIZER`): Django's JSON with orjson — every request
    parses its session (~3 KB with the auth context: 7.6 µs by `json`, 2.8 by orjson), and
    Cyrillic is stored as UTF-8 rather than six-byte escapes. Either reads the other's text;
    keys that are not strings become strings, as `json` makes them."""

    def dumps(self, obj: Any) -> bytes:
        return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)

    def loads(self, data: bytes) -> Any:
        return orjson.loads(data)


class _Payload(signing.JSONSerializer):
    """A serializer that gives the signed payload as it is (`signing.loads` verified it)."""

    def loads(self, data: bytes) -> bytes:
        return data


def _user_fields() -> list[Field[Any, Any]]:
    from otmetka.accounts.models import User

    fields = list(User._meta.concrete_fields)
    assert fields[0].primary_key  # the first user column says whether the user is there
    return fields


@cache
def _sql(vendor: str) -> str:
    del vendor  # one text per database: quote_name is the backend's
    from otmetka.accounts.models import Session, User

    qn = connection.ops.quote_name
    columns = ", ".join(f"u.{qn(str(f.column))}" for f in _user_fields())
    return (
        f"SELECT s.session_data, {columns} FROM {qn(Session._meta.db_table)} s"
        f" LEFT JOIN {qn(User._meta.db_table)} u ON u.id = s.user_id"
        " WHERE s.session_key = %s AND s.expire_date > %s"
    )


class SessionStore(DBStore):
    """Database sessions with the user's id as a column and the user read with the session."""

    loaded_user: User | None = None

    @classmethod
    def get_model_class(cls) -> type[Session]:
        from otmetka.accounts.models import Session

        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Session:
        from otmetka.accounts.models import User

        obj: Session = super().create_model_instance(data)  # type: ignore[assignment]
        try:
            obj.user_id = User._meta.pk.to_python(data.get(SESSION_KEY))
        except Exception:  # not an id: no user (the authentication refuses it anyway)
            obj.user_id = None
        return obj

    def load(self) -> dict[str, Any]:
        """The session's data (empty when missing or expired) and its user row
        (`loaded_user`), in one statement."""
        from otmetka.accounts.models import User

        self.loaded_user = None
        conn = connections[router.db_for_read(self.model)]
        now = conn.ops.adapt_datetimefield_value(timezone.now())
        with planned_cursor(conn) as cursor:  # planned once per connection on PostgreSQL
            cursor.execute(_sql(conn.vendor), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        if row[1] is not None:
            self.loaded_user = from_row(User, row, 1, conn)[0]
        return self.decode(row[0])

    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        """Django's decode, with the signature checked once per process for a given text: a
        session's text stays the same from one request to the next until it is saved, and the
        check (base64, two SHA-256 for the salted key and the HMAC, zlib) is the same every
        time. The payload is parsed anew on every request (the session changes its dict)."""
        key = (settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS), session_data)
        payload = VERIFIED.get(key)
        if payload is None:
            try:
                text = session_data if isinstance(session_data, str) else session_data.decode()
                payload = signing.loads(text, salt=self.key_salt, serializer=_Payload)
            except Exception:  # as Django's: corrupted or not ours → logged there, empty here
                return super().decode(session_data)
            if len(VERIFIED) >= VERIFIED_MAX:
                VERIFIED.clear()
            VERIFIED[key] = payload
        try:
            return self.serializer().loads(payload)
        except Exception:  # as Django's: not JSON → an empty session
            return {}


def loaded_user(user_id: Any) -> User | None:
    """The user row read with this request's session, if it is user `user_id`'s."""
    user = LOADED.get()
    if user is None or str(user.pk) != str(user_id):
        return None
    return user


def session_user(request: HttpRequest) -> Any:
    """`django.contrib.auth.get_user`, with the user row the session's read brought (the
    backend's `get_user` takes it instead of reading it again); every check is Django's."""
    from django.contrib import auth

    if not hasattr(request, "_cached_user"):
        session = request.session
        session.get(SESSION_KEY)  # loads the session, and with it the user row
        token = LOADED.set(getattr(session, "loaded_user", None))
        try:
            request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
        finally:
            LOADED.reset(token)
        # From now on the request's user is the object itself, not the lazy proxy: a request's
        # every later `request.user.<attribute>` (a few dozen in a save's middleware, auth and
        # handler) went through `SimpleLazyObject`'s proxying.
        request.user = request._cached_user  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class SessionUserMiddleware(AuthenticationMiddleware):
    """Django's authentication middleware, with the user read with the session."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: session_user(request))  # type: ignore[assignment]
