"""SQLite: a consistent snapshot with the online backup API, while the site keeps writing."""

import sqlite3
from collections.abc import Callable
from pathlib import Path

from django.utils.translation import gettext as _

from otmetka.config.sqlite.base import private_database_file
from otmetka.core.backup.archive import BackupError

PAGES_PER_STEP = 256
BUSY_TIMEOUT = 20  # seconds, like the site's own connections


def sqlite_snapshot(source: Path, target: Path, progress: Callable[[int, int], None]) -> None:
    """Copy `source` into the new file `target` as one consistent snapshot.

    A read transaction held on the source for the whole copy pins one snapshot (WAL mode lets
    writers go on meanwhile), so the copy goes in steps with progress and never restarts.
    """
    if not source.is_file():
        raise BackupError(_("The database %(path)s does not exist.") % {"path": source})
    private_database_file(target)
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT, isolation_level=None)
    dst = sqlite3.connect(target, isolation_level=None)
    try:
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts here
        src.backup(dst, pages=PAGES_PER_STEP, progress=lambda _, left, all: progress(left, all))
        src.execute("COMMIT")
        # The copy is read as a file of its own: no WAL next to it.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        src.close()
        dst.close()


def sqlite_migrations(path: Path) -> dict[str, list[str]]:
    """Applied migrations recorded in a database file, per app."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    except sqlite3.DatabaseError:
        rows = []
    finally:
        db.close()
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return applied


def sqlite_restore(source: Path, target: Path) -> None:
    """Replace the content of the database `target` with the file `source`, in one transaction.

    The backup API writes through SQLite's own locking, so the WAL and SHM files of the target
    stay consistent (copying files over a database in WAL mode would not).
    """
    private_database_file(target)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=BUSY_TIMEOUT, isolation_level=None)
    try:
        src.backup(dst)  # one step: the target changes all at once or not at all
        dst.execute("PRAGMA journal_mode=WAL")
    except sqlite3.DatabaseError as error:
        raise BackupError(
            _("The database could not be restored: %(error)s") % {"error": error}
        ) from error
    finally:
        src.close()
        dst.close()
