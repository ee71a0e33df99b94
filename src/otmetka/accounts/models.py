"""Accounts: the person who logs in. Login is a login name, never an e-mail (children have none)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

# (password hash, secret) → its session auth hash (`User._get_session_auth_hash`), emptied when
# full.
_AUTH_HASHES: dict[tuple[str, str], str] = {}
AUTH_HASHES_MAX = 1024


class User(AbstractUser):
    """A person with a login: staff, guardian, student or installation superuser."""

    middle_name = models.CharField(_("middle name"), max_length=150, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for issued passwords: the user chooses a new one at first login."),
    )
    # Bumped (by `access`) whenever the user's roles, ties to schools or schools change: a
    # session's cached auth context is valid only at the version it was built at.
    auth_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "middle_name"]
        indexes = [
            # Login names are matched regardless of case (username__iexact is UPPER(..) = UPPER(..)
            # on PostgreSQL): without it a login scans every user of a region, ~230 ms at 500k.
            models.Index(Upper("username"), name="accounts_user_username_upper"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's HMAC of the password field, which every request's session check computes
        (two SHA-256 and an HMAC): the same for the same password and secret, so kept per
        process for the last ones seen."""
        key = (self.password, settings.SECRET_KEY if secret is None else secret)
        found = _AUTH_HASHES.get(key)
        if found is None:
            if len(_AUTH_HASHES) >= AUTH_HASHES_MAX:
                _AUTH_HASHES.clear()
            found = super()._get_session_auth_hash(secret=key[1])  # type: ignore[misc]  # private
            _AUTH_HASHES[key] = found
        return found

    @property
    def full_name(self) -> str:
        """Фамилия Имя Отчество, as Russian documents write it."""
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        """Фамилия И. О."""
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip() or self.username


class ApiToken(models.Model):
    """A token a mobile app or script signs in with (`POST /api/v1/auth/token`, ЭлЖур's `auth`):
    only its SHA-256 is stored; it ends at `expires_at`, when its owner revokes it («Мои
    устройства») or when their password changes. A read-only token may not write."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("device"), max_length=100, blank=True)
    key_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    prefix = models.CharField(_("token start"), max_length=12)
    writable = models.BooleanField(_("may write"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}".strip()


class Session(AbstractBaseSession):
    """A login session (Django's database session with its user's id as a column): a request
    reads the session and its user in one statement (`otmetka.accounts.sessions`). The id is
    the session's `_auth_user_id`, written with the session on every save; deleting the user
    deletes their sessions."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=True
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls) -> type[SessionBase]:
        from otmetka.accounts.sessions import SessionStore

        return SessionStore
