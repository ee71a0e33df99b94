"""`otmetka backup` / `otmetka restore`: a round trip under concurrent writes restores exactly
the backup's snapshot, and a damaged, foreign or unsuitable file is refused, changing nothing."""

import hashlib
import io
import json
import stat
import tarfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.core.sites import (
    Site,
    content_hashes,
    drop_database,
    postgres_url,
    scratch_database,
    sqlite_rows,
)

SEED_EVENTS = 6000  # a database of some megabytes: the online backup copies it in several steps
WRITTEN_BEFORE_BACKUP = 20

SEED = f"""
from otmetka.audit.models import Event
Event.objects.bulk_create(
    Event(action="seed", object_type="seed", object_id=str(n), reason="x" * 300)
    for n in range({SEED_EVENTS})
)
"""

# Pairs of audit rows, each pair in one transaction, until the stop file appears; one more pair
# after it (so the source always moves on past the backup), then the last pair's number.
WRITER = f"""
import sys
from pathlib import Path
from django.db import transaction
from otmetka.audit.models import Event

stop, pair = Path(sys.argv[1]), 0
while True:
    stopping = stop.exists()
    pair += 1
    with transaction.atomic():
        for half in (1, 2):
            Event.objects.create(
                action="pair", object_type="pair", object_id=str(pair), after={{"half": half}}
            )
            Event.objects.filter(action="pair").exists()  # some work between the halves
    if pair == {WRITTEN_BEFORE_BACKUP}:
        print("running", flush=True)
    if stopping:
        break
print(pair, flush=True)
"""


@pytest.fixture
def new_site(tmp_path: Path) -> Iterator[Callable[[str, str], Site]]:
    """Make an installation of a kind (`sqlite` / `postgresql`) named `role`; dropped after."""
    created: list[tuple[str, str]] = []

    def make(kind: str, role: str) -> Site:
        if kind == "sqlite":
            data = tmp_path / role
            return Site(data, f"sqlite:///{data / 'otmetka.sqlite3'}", kind)
        server = postgres_url()
        if server is None:
            pytest.skip("PostgreSQL backups are tested in the suite's PostgreSQL pass")
        name = f"{server.rsplit('/', 1)[1]}_backup_{role}"
        created.append((server, name))
        return Site(tmp_path / role, scratch_database(server, name), kind)

    yield make
    for server, name in created:
        drop_database(server, name)


def _pairs(site: Site) -> dict[int, list[int]]:
    """pair number → the halves of it present in the site's audit table."""
    found: dict[int, list[int]] = defaultdict(list)
    for object_id, after in site.query(
        "SELECT object_id, after FROM audit_event WHERE action = 'pair'"
    ):
        found[int(object_id)].append(
            (after if isinstance(after, dict) else json.loads(after))["half"]
        )
    return found


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_round_trip_under_concurrent_writes_restores_one_consistent_snapshot(
    kind: str, new_site: Callable[[str, str], Site], tmp_path: Path
) -> None:
    source = new_site(kind, "source")
    assert source.otmetka("migrate", "-v0").returncode == 0
    assert source.python(SEED).wait() == 0
    (source.media / "homework").mkdir(parents=True)
    (source.media / "homework" / "задание.pdf").write_bytes(b"%PDF-1.4 homework")
    archive = tmp_path / "backup.tar.gz"
    stop = tmp_path / "stop"

    writer = source.python(WRITER, str(stop))
    assert writer.stdout is not None and writer.stdout.readline().strip() == "running"
    made = source.otmetka("backup", str(archive))
    stop.touch()
    last_pair = int(writer.communicate()[0].strip())
    assert made.returncode == 0, made.stderr
    assert "Резервная копия" in made.stderr  # the progress line
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600

    target = new_site(kind, "target")
    restored = target.otmetka("restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    after = target.rows()

    # The snapshot is consistent: whole pairs only, every pair up to one point, none after.
    pairs = _pairs(target)
    assert all(sorted(halves) == [1, 2] for halves in pairs.values())
    assert sorted(pairs) == list(range(1, len(pairs) + 1))
    assert WRITTEN_BEFORE_BACKUP <= len(pairs) < last_pair

    # It is the source at the backup's moment: every table equal, the audit table up to its
    # last restored row (the writer went on after the backup).
    now = source.rows()
    last_id = target.query("SELECT max(id) FROM audit_event")[0][0]
    snapshot = source.query(f"SELECT * FROM audit_event WHERE id <= {last_id}")
    now["audit_event"] = sorted(snapshot, key=repr)
    # The chain's head moved on with the writer too: the restored head must close the restored
    # chain, which `otmetka audit verify` checks link by link (issue 15).
    now["audit_chainhead"] = after["audit_chainhead"]
    verified = target.otmetka("audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert content_hashes(after) == content_hashes(now)
    assert len(after["audit_event"]) == SEED_EVENTS + 2 * len(pairs)
    restored_file = target.media / "homework" / "задание.pdf"
    assert restored_file.read_bytes() == b"%PDF-1.4 homework"

    if kind == "sqlite":  # and equal to the backup file's own database, table by table
        with tarfile.open(archive) as tar:
            (tmp_path / "db.sqlite3").write_bytes(tar.extractfile("database.sqlite3").read())
        assert content_hashes(after) == content_hashes(sqlite_rows(tmp_path / "db.sqlite3"))


# --- refusals ----------------------------------------------------------------------------


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def _pack(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _resealed(members: dict[str, bytes], **changes: object) -> dict[str, bytes]:
    """The members with manifest fields changed and every checksum made right again."""
    manifest = json.loads(members["manifest.json"])
    manifest.update(changes)
    parts = {n: d for n, d in members.items() if not n.startswith("manifest")}
    manifest["parts"] = [
        {"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
        for n, d in parts.items()
    ]
    data = json.dumps(manifest).encode()
    return {
        **parts,
        "manifest.json": data,
        "manifest.sha256": hashlib.sha256(data).hexdigest().encode(),
    }


def _truncated(archive: Path, out: Path) -> Path:
    out.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    return out


def _flipped(archive: Path, out: Path) -> Path:
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    out.write_bytes(bytes(data))
    return out


def _part_changed(archive: Path, out: Path) -> Path:
    members = _members(archive)
    database = bytearray(members["database.sqlite3"])
    database[-100] ^= 0xFF
    return _pack(out, {**members, "database.sqlite3": bytes(database)})


def _manifest_edited(archive: Path, out: Path) -> Path:
    members = _members(archive)
    manifest = members["manifest.json"].replace(b'"otmetka_version": "', b'"otmetka_version": "9')
    return _pack(out, {**members, "manifest.json": manifest})


def _foreign_archive(archive: Path, out: Path) -> Path:
    return _pack(out, {"notes.txt": b"not a backup", "photo.jpg": b"\xff\xd8\xff"})


def _foreign_text(archive: Path, out: Path) -> Path:
    out.write_text("journal,7A\n", encoding="utf-8")
    return out


def _other_kind(archive: Path, out: Path) -> Path:
    members = _members(archive)
    members["database.pgdump"] = members.pop("database.sqlite3")
    return _pack(out, _resealed(members, database="postgresql"))


def _newer_version(archive: Path, out: Path) -> Path:
    members = _members(archive)
    migrations = json.loads(members["manifest.json"])["migrations"]
    migrations["journal"].append("9999_from_the_future")
    return _pack(out, _resealed(members, migrations=migrations, otmetka_version="9.0"))


REFUSALS = [
    (_truncated, "повреждён"),
    (_flipped, "повреждён"),
    (_part_changed, "контрольная сумма database.sqlite3 не совпадает"),
    (_manifest_edited, "контрольная сумма описания не совпадает"),
    (_foreign_archive, "не резервная копия Отметки"),
    (_foreign_text, "не резервная копия Отметки"),
    (_other_kind, "базы PostgreSQL, а Отметка настроена на SQLite"),
    (_newer_version, "более новой версией Отметки (9.0)"),
]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Path]:
    """A migrated SQLite installation with one uploaded file, and its backup."""
    base = tmp_path_factory.mktemp("made")
    site = Site(base / "site", f"sqlite:///{base / 'site' / 'otmetka.sqlite3'}", "sqlite")
    assert site.otmetka("migrate", "-v0").returncode == 0
    site.media.mkdir()
    (site.media / "a.txt").write_text("a", encoding="utf-8")
    archive = base / "backup.tar.gz"
    done = site.otmetka("backup", str(archive))
    assert done.returncode == 0, done.stderr
    return site, archive


@pytest.mark.parametrize(("spoil", "message"), REFUSALS, ids=[s.__name__ for s, _ in REFUSALS])
def test_restore_refuses_damaged_foreign_and_unsuitable_files_changing_nothing(
    spoil: Callable[[Path, Path], Path], message: str, made: tuple[Site, Path], tmp_path: Path
) -> None:
    site, archive = made
    before, media_before = content_hashes(site.rows()), sorted(site.media.rglob("*"))
    refused = site.otmetka("restore", "--force", str(spoil(archive, tmp_path / "spoilt")))
    assert refused.returncode == 1
    assert message in refused.stderr
    assert "Ничего не изменено" in refused.stderr
    assert content_hashes(site.rows()) == before
    assert sorted(site.media.rglob("*")) == media_before
    assert not list(site.data_dir.glob(".otmetka-backup-*"))  # no leftovers


def test_restore_onto_data_needs_force(made: tuple[Site, Path], tmp_path: Path) -> None:
    site, archive = made
    (site.media / "new.txt").write_text("uploaded after the backup", encoding="utf-8")
    refused = site.otmetka("restore", str(archive))
    assert refused.returncode == 1
    assert "--force" in refused.stderr
    assert (site.media / "new.txt").exists()

    forced = site.otmetka("restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr
    assert sorted(p.name for p in site.media.iterdir()) == ["a.txt"]


def test_backup_refuses_to_overwrite_a_file(made: tuple[Site, Path]) -> None:
    site, archive = made
    size = archive.stat().st_size
    refused = site.otmetka("backup", str(archive))
    assert refused.returncode == 1
    assert "уже существует" in refused.stderr
    assert archive.stat().st_size == size


def test_postgresql_refuses_a_sqlite_backup(
    made: tuple[Site, Path], new_site: Callable[[str, str], Site]
) -> None:
    target = new_site("postgresql", "kind")
    assert target.otmetka("migrate", "-v0").returncode == 0
    before = content_hashes(target.rows())
    refused = target.otmetka("restore", str(made[1]))
    assert refused.returncode == 1
    assert "базы SQLite, а Отметка настроена на PostgreSQL" in refused.stderr
    assert content_hashes(target.rows()) == before


def test_postgresql_backup_without_pg_dump_says_so_in_russian(
    new_site: Callable[[str, str], Site], tmp_path: Path
) -> None:
    site = new_site("postgresql", "nobin")
    site.extra_env["OTMETKA_PG_BIN_DIR"] = str(tmp_path / "no-such-dir")
    refused = site.otmetka("backup", str(tmp_path / "backup.tar.gz"))
    assert refused.returncode == 1
    assert "Программа PostgreSQL pg_dump не найдена" in refused.stderr
    assert not (tmp_path / "backup.tar.gz").exists()
