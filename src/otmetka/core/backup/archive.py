"""The backup archive: one gzip'ed tar with the database, the uploaded files and a manifest.

Layout: `database.sqlite3` (SQLite) or `database.pgdump` (PostgreSQL, `pg_dump -Fc`), then
`media/<path>` for every uploaded file, then `manifest.json` (format, Otmetka version, database
kind, applied migrations, creation time, and the size and SHA-256 of every part) and
`manifest.sha256` (the manifest's own checksum). Reading verifies everything before anything of
the installation is touched.
"""

import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

from django.utils.translation import gettext as _

FORMAT = "otmetka-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
DATABASE_PARTS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Russian)."""


def private_file(path: Path) -> BinaryIO:
    """A new file only its owner may read (backups hold every child's data)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(fd, "wb")


class _HashingReader(io.RawIOBase):
    """Reads a file through SHA-256, so a part is hashed exactly as it goes into the archive."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


@dataclass
class ArchiveWriter:
    """Adds parts to an open tar, keeping each one's size and checksum for the manifest."""

    tar: tarfile.TarFile
    parts: list[dict[str, Any]] = field(default_factory=list)

    def add_file(self, name: str, path: Path) -> int:
        """Add one file as `name`; its size (a file that vanished meanwhile is skipped: 0)."""
        try:
            source = path.open("rb")
        except FileNotFoundError:
            return 0
        with source:
            size = os.fstat(source.fileno()).st_size
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = size, 0o600, int(path.stat().st_mtime)
            reader = _HashingReader(source)
            self.tar.addfile(info, reader)
        self.parts.append({"name": name, "size": size, "sha256": reader.sha256.hexdigest()})
        return size

    def add_manifest(self, manifest: dict[str, Any]) -> None:
        """Write the manifest (with every part added so far) and its own checksum, last."""
        manifest = {**manifest, "parts": self.parts}
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        self._add_bytes(MANIFEST, data)
        self._add_bytes(MANIFEST_SUM, hashlib.sha256(data).hexdigest().encode())

    def _add_bytes(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
        self.tar.addfile(info, io.BytesIO(data))


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(archive name, path) of every regular file under the media root, symlinks left out."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield f"{MEDIA}/{path.relative_to(root).as_posix()}", path


def _foreign() -> BackupError:
    """The refusal of a file that is not an Otmetka backup."""
    return BackupError(_("This file is not an Otmetka backup. Nothing was changed."))


def _damaged(detail: str) -> BackupError:
    """The refusal of a backup that does not match its own checksums."""
    return BackupError(
        _("The backup file is damaged (%(detail)s). Nothing was changed.") % {"detail": detail}
    )


def _safe_member_path(name: str) -> PurePosixPath | None:
    """The member's relative path if it may be one of ours, else None."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    if name in (MANIFEST, MANIFEST_SUM) or name in DATABASE_PARTS.values():
        return path
    if path.parts[0] == MEDIA and len(path.parts) > 1:
        return path
    return None


def _extract(
    tar: tarfile.TarFile, into: Path
) -> tuple[dict[str, str], dict[str, bytes], dict[str, int]]:
    """Unpack every part into `into`, hashing it; (name → sha256, manifest files, sizes)."""
    sums: dict[str, str] = {}
    sizes: dict[str, int] = {}
    small: dict[str, bytes] = {}
    for member in tar:
        path = _safe_member_path(member.name)
        if path is None or not member.isfile():
            raise _foreign()
        if member.name in sums or member.name in small:
            raise _damaged(_("a part appears twice"))
        source = tar.extractfile(member)
        assert source is not None  # a regular file always has a body
        if member.name in (MANIFEST, MANIFEST_SUM):
            if member.size > CHUNK:
                raise _foreign()
            small[member.name] = source.read()
            continue
        target = into
        for part in path.parts[:-1]:
            target = target / part
            target.mkdir(exist_ok=True, mode=0o700)
        target = target / path.parts[-1]
        sha256 = hashlib.sha256()
        with private_file(target) as out:
            while chunk := source.read(CHUNK):
                sha256.update(chunk)
                out.write(chunk)
        sums[member.name], sizes[member.name] = sha256.hexdigest(), member.size
    return sums, small, sizes


def archive_unpack(archive: Path, into: Path) -> dict[str, Any]:
    """Unpack a backup into `into` and return its manifest, or refuse a foreign or damaged file.

    Every part's SHA-256 is checked against the manifest, and the manifest against its own sum.
    """
    try:
        tar = tarfile.open(archive, "r:*")
    except FileNotFoundError as error:
        raise BackupError(_("No such file: %(path)s") % {"path": archive}) from error
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise _foreign() from error
    try:
        with tar:
            sums, small, sizes = _extract(tar, into)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise _damaged(_("the archive cannot be read to the end")) from error
    if MANIFEST not in small:
        raise _foreign() if not sums else _damaged(_("the manifest is missing"))
    data = small[MANIFEST]
    if small.get(MANIFEST_SUM, b"").decode(errors="replace") != hashlib.sha256(data).hexdigest():
        raise _damaged(_("the manifest's checksum does not match"))
    try:
        manifest = json.loads(data)
    except ValueError as error:
        raise _foreign() from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _foreign()
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("This backup has format %(version)s, which this Otmetka cannot read.")
            % {"version": manifest.get("format_version")}
        )
    listed = {part["name"]: part for part in manifest.get("parts", [])}
    if set(listed) != set(sums):
        raise _damaged(_("its parts differ from the manifest"))
    for name, part in listed.items():
        if part.get("sha256") != sums[name] or part.get("size") != sizes[name]:
            raise _damaged(_("the checksum of %(part)s does not match") % {"part": name})
    if DATABASE_PARTS.get(manifest.get("database", "")) not in sums:
        raise _damaged(_("the database is missing"))
    return manifest
