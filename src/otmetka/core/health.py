"""Marks the background parts of an installation leave in the data dir, for the status page: the
worker's heartbeat and the time of the last good backup (files, so they work with any database
and with `pg_dump` routines that only `touch` the mark)."""

import datetime
from pathlib import Path

from django.conf import settings

BACKUP_MARK = "backup.last"


def _touch(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(datetime.datetime.now(datetime.UTC).isoformat() + "\n", encoding="utf-8")


def _age(path: Path) -> datetime.timedelta | None:
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    now = datetime.datetime.now(datetime.UTC)
    return now - datetime.datetime.fromtimestamp(mtime, datetime.UTC)


def worker_beat() -> None:
    """The worker is alive now (`otmetka worker` calls it every minute)."""
    _touch(Path(settings.OTMETKA_WORKER_HEARTBEAT))


def worker_age() -> datetime.timedelta | None:
    """How long ago the worker last beat; None when it never has."""
    return _age(Path(settings.OTMETKA_WORKER_HEARTBEAT))


def backup_done() -> None:
    """A backup was written and checked (`otmetka backup`; a `pg_dump` routine touches the file)."""
    _touch(Path(settings.DATA_DIR) / BACKUP_MARK)


def backup_age() -> datetime.timedelta | None:
    """How long ago the last backup was made; None when none is known."""
    return _age(Path(settings.DATA_DIR) / BACKUP_MARK)
