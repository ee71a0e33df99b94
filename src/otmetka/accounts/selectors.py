"""Reads on accounts: finding the user a typed login name belongs to."""

import unicodedata

from otmetka.accounts.models import User


def login_normalise(typed: str) -> str:
    """The form a typed login is looked up and counted under: NFKC, trimmed and case-folded,
    computed in Python so that SQLite and PostgreSQL see the very same string."""
    return unicodedata.normalize("NFKC", typed).strip().casefold()


def user_by_login(typed: str) -> User | None:
    """The user whose login is `typed` up to case and Unicode compatibility forms, or None.

    Logins are issued in ASCII (people.services.LOGIN), so a typed name that is not ASCII after
    normalisation (a dotless `ı`, say) matches nobody. The database narrows by the case-blind
    index; the exact comparison is made here, because PostgreSQL's UPPER() folds look-alikes
    (`ı` → `I`) that SQLite's does not."""
    login = login_normalise(typed)
    if not login or not login.isascii():
        return None
    found = [
        user
        for user in User.objects.filter(username__iexact=login)[:3]
        if login_normalise(user.username) == login
    ]
    if len(found) > 1:  # logins differing only in case (made outside the school's forms)
        found = [user for user in found if user.username == typed.strip()]
    return found[0] if len(found) == 1 else None
