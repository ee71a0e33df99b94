"""A fresh installation keeps its data to its owner: data dir 0700; database, WAL, SHM, secret key
and backups 0600 — whatever the umask."""

import os
import stat
import subprocess
import sys
from pathlib import Path

# Run with the database open: the WAL and SHM files exist only while a connection does.
OPEN_AND_LIST = """
import os, django
django.setup()
from django.db import connection
from otmetka.audit.models import Event
Event.objects.exists()
data = os.environ["OTMETKA_DATA_DIR"]
for name in sorted(os.listdir(data)):
    print(name, oct(os.stat(os.path.join(data, name)).st_mode & 0o777))
"""


def _run(data: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    env.update(OTMETKA_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="otmetka.config.settings")
    done = subprocess.run(
        [sys.executable, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=lambda: os.umask(0o022),  # the usual umask: files 0644 unless we say otherwise
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_new_data_dir_database_wal_and_secret_key_are_private(tmp_path: Path) -> None:
    data = tmp_path / "otmetka"
    _run(data, "-m", "otmetka", "migrate", "-v0")
    modes = dict(line.split() for line in _run(data, "-c", OPEN_AND_LIST).splitlines())

    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert modes["secret_key"] == "0o600"
    assert modes["otmetka.sqlite3"] == "0o600"
    assert modes["otmetka.sqlite3-wal"] == "0o600"
    assert modes["otmetka.sqlite3-shm"] == "0o600"

    backup = tmp_path / "backup.tar.gz"
    _run(data, "-m", "otmetka", "backup", str(backup))
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_an_existing_database_readable_by_others_is_made_private(tmp_path: Path) -> None:
    data = tmp_path / "otmetka"
    _run(data, "-m", "otmetka", "migrate", "-v0")
    (data / "otmetka.sqlite3").chmod(0o644)
    modes = dict(line.split() for line in _run(data, "-c", OPEN_AND_LIST).splitlines())
    assert modes["otmetka.sqlite3"] == "0o600"
    assert modes["otmetka.sqlite3-wal"] == "0o600"
