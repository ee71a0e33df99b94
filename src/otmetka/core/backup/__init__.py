"""`otmetka backup` / `otmetka restore`: the database and uploaded files in one checked archive.

SQLite is copied with its online backup API (one consistent snapshot while the site writes),
PostgreSQL with `pg_dump -Fc` (also one snapshot). See `archive` for the file's layout.
"""

import datetime
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from otmetka.core.backup import postgres, sqlite
from otmetka.core.backup.archive import (
    DATABASE_PARTS,
    FORMAT,
    FORMAT_VERSION,
    MEDIA,
    ArchiveWriter,
    BackupError,
    archive_unpack,
    media_files,
    private_file,
)
from otmetka.core.health import backup_done

# Rows that `otmetka migrate` itself writes: a database holding only these is empty.
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

__all__ = ["BackupError", "Progress", "backup_create", "backup_restore", "database_kind"]


class Progress:
    """One progress line on a stream: rewritten in place on a terminal, one line per stage else."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.stage = ""
        self.width = 0

    def show(self, stage: str, detail: str = "") -> None:
        """Show the stage (and a detail such as a percentage, on a terminal only)."""
        if self.tty:
            text = f"{stage} {detail}".rstrip()
            self.stream.write("\r" + text.ljust(self.width))
            self.width = len(text)
        elif stage != self.stage:
            self.stream.write(stage + "\n")
        self.stage = stage
        self.stream.flush()

    def done(self) -> None:
        """End the line."""
        if self.tty and self.width:
            self.stream.write("\n")
            self.stream.flush()
        self.width = 0


def database_kind() -> str:
    """`sqlite` or `postgresql`: the kind of the configured database."""
    vendor = connections["default"].vendor
    if vendor not in DATABASE_PARTS:
        raise BackupError(_("Backups support SQLite and PostgreSQL only."))
    return vendor


def otmetka_version() -> str:
    """The installed Otmetka's version."""
    try:
        return version("otmetka")
    except PackageNotFoundError:
        return "unknown"


def default_backup_path() -> Path:
    """otmetka-backup-<date>-<time>.tar.gz in the current directory."""
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    return Path(f"otmetka-backup-{stamp}.tar.gz")


@contextmanager
def _work_dir(near: Path) -> Iterator[Path]:
    """A private temporary directory on the same file system as `near` (removed afterwards)."""
    near.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = Path(tempfile.mkdtemp(prefix=".otmetka-backup-", dir=near))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _database_part(kind: str, work: Path, progress: Progress) -> tuple[Path, dict[str, list[str]]]:
    """The database snapshot as a file in `work`, and the migrations applied in it."""
    part = work / DATABASE_PARTS[kind]
    stage = _("Backup: database")
    progress.show(stage)
    if kind == "sqlite":
        source = Path(settings.DATABASES["default"]["NAME"])

        def step(left: int, total: int) -> None:
            progress.show(stage, f"{(total - left) * 100 // max(total, 1)}%")

        sqlite.sqlite_snapshot(source, part, step)
        return part, sqlite.sqlite_migrations(part)
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections["default"]).applied_migrations():
        applied.setdefault(app, []).append(name)
    postgres.pg_dump(part)
    return part, applied


def backup_create(*, path: Path, progress: Progress) -> dict[str, Any]:
    """Write a backup of the database and the uploaded files to `path`; its manifest.

    The file is written next to its final name and renamed at the end, so `path` is either a
    whole backup or absent; only its owner may read it.
    """
    kind = database_kind()
    path = path.resolve()
    if path.exists():
        raise BackupError(_("The file %(path)s already exists.") % {"path": path})
    created = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    with _work_dir(path.parent) as work:
        database, applied = _database_part(kind, work, progress)
        partial = work / "backup.partial"
        with private_file(partial) as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            writer = ArchiveWriter(tar)
            writer.add_file(DATABASE_PARTS[kind], database)
            stage = _("Backup: uploaded files")
            progress.show(stage)
            for count, (name, file) in enumerate(media_files(Path(settings.MEDIA_ROOT)), 1):
                writer.add_file(name, file)
                progress.show(stage, str(count))
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "otmetka_version": otmetka_version(),
                "database": kind,
                "migrations": applied,
                "created_at": created,
            }
            writer.add_manifest(manifest)
        os.replace(partial, path)
    backup_done()
    progress.done()
    return {**manifest, "parts": writer.parts}


def _unknown_migrations(applied: dict[str, list[str]]) -> list[str]:
    """Migrations of the backup that this Otmetka's code does not have (a newer version's)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    backup = {(app, name) for app, names in applied.items() for name in names}
    return sorted(f"{app}.{name}" for app, name in backup - known)


def _database_is_empty(kind: str) -> bool:
    """No rows but those `migrate` writes (a missing SQLite file is empty too)."""
    if kind == "sqlite":
        name = Path(settings.DATABASES["default"]["NAME"])
        if not name.exists() or name.stat().st_size == 0:
            return True
    connection = connections["default"]
    tables = set(connection.introspection.table_names()) - BOOKKEEPING_TABLES
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                return False
    return True


def _media_is_empty(root: Path) -> bool:
    """No uploaded file under the media root."""
    return next(media_files(root), None) is None


def _check_restorable(manifest: dict[str, Any], kind: str, *, force: bool) -> None:
    """Refuse a backup of the other database kind, of a newer Otmetka, or onto data (no force)."""
    if manifest["database"] != kind:
        raise BackupError(
            _(
                "This backup is of a %(backup)s database, but Otmetka is configured for "
                "%(configured)s. Nothing was changed."
            )
            % {"backup": KIND_NAMES[manifest["database"]], "configured": KIND_NAMES[kind]}
        )
    unknown = _unknown_migrations(manifest.get("migrations") or {})
    if unknown:
        raise BackupError(
            _(
                "This backup was made by a newer Otmetka (%(version)s): update Otmetka first. "
                "Nothing was changed."
            )
            % {"version": manifest.get("otmetka_version")}
        )
    if force:
        return
    if not _database_is_empty(kind) or not _media_is_empty(Path(settings.MEDIA_ROOT)):
        raise BackupError(
            _(
                "The database or the uploaded files are not empty. Restoring replaces them all: "
                "run again with --force if that is what you want. Nothing was changed."
            )
        )


def _media_replace(unpacked: Path, root: Path) -> None:
    """Put the backup's uploaded files in place of the current ones."""
    old = root.with_name(f".{root.name}-replaced")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        root.rename(old)
    if unpacked.is_dir():
        unpacked.rename(root)
    else:
        root.mkdir(mode=0o700)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(*, path: Path, force: bool, progress: Progress) -> dict[str, Any]:
    """Replace the configured database and the uploaded files with a backup's; its manifest.

    Everything is checked first (the file, its checksums, the database kind, the target being
    empty unless `force`); a refused restore changes nothing.
    """
    kind = database_kind()
    media_root = Path(settings.MEDIA_ROOT)
    with _work_dir(media_root.parent) as work:
        progress.show(_("Restore: checking the backup"))
        manifest = archive_unpack(path, work)
        database = work / DATABASE_PARTS[manifest["database"]]
        _check_restorable(manifest, kind, force=force)
        progress.show(_("Restore: database"))
        if kind == "sqlite":
            connections.close_all()
            sqlite.sqlite_restore(database, Path(settings.DATABASES["default"]["NAME"]))
        else:
            postgres.pg_check(database)
            postgres.pg_restore(database)
        progress.show(_("Restore: uploaded files"))
        _media_replace(work / MEDIA, media_root)
    progress.done()
    return manifest


def backup_lagging_migrations(manifest: dict[str, Any]) -> bool:
    """True when this Otmetka has migrations the restored database has not had yet."""
    applied = {(a, n) for a, names in (manifest.get("migrations") or {}).items() for n in names}
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return bool(known - applied)
