"""PostgreSQL: `pg_dump -Fc` for the backup, `pg_restore` piped into one `psql` transaction."""

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

from otmetka.core.backup.archive import BackupError

# Drops every table of the schema the site uses, inside the restore's transaction.
DROP_TABLES = """DO $$ DECLARE t record; BEGIN
FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
  EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', t.tablename);
END LOOP; END $$;"""
PSQL_OPTIONS = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
LIBPQ_OPTIONS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"}


def _version(path: str) -> tuple[int, ...]:
    """The major version in a Debian path /usr/lib/postgresql/<major>/bin/… (else 0)."""
    found = re.search(r"/postgresql/(\d+)/bin/", path)
    return (int(found.group(1)),) if found else (0,)


def pg_program(name: str) -> str:
    """The newest `name` (pg_dump, pg_restore, psql) installed: a newer client reads older servers.

    Looked up in OTMETKA_PG_BIN_DIR, then Debian's /usr/lib/postgresql/<version>/bin, then PATH.
    """
    if settings.PG_BIN_DIR:
        candidates = [str(Path(settings.PG_BIN_DIR) / name)]
    else:
        candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version)[::-1]
        candidates.append(shutil.which(name) or "")
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise BackupError(
        _(
            "The PostgreSQL program %(name)s was not found. Install the PostgreSQL client "
            "(Debian: apt-get install postgresql-client) or set OTMETKA_PG_BIN_DIR."
        )
        % {"name": name}
    )


def _libpq_env() -> dict[str, str]:
    """The site's connection settings as libpq variables (a password never on a command line)."""
    # A plain dict: the keys are looked up by name in a loop (the stubs' DBConfig is a TypedDict).
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if db.get(key):
            env[variable] = str(db[key])
    for key, value in (db.get("OPTIONS") or {}).items():
        if key in LIBPQ_OPTIONS:
            env[f"PG{key.upper().replace('_', '')}"] = str(value)
    # A restore waits for locks at most this long instead of hanging behind a running site.
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout=30s".strip()
    return env


def _failure(program: str, stderr: str) -> BackupError:
    """The error of a failed PostgreSQL program, with the last line it printed."""
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    detail = lines[-1] if lines else _("exit code without a message")
    return BackupError(_("%(program)s failed: %(detail)s") % {"program": program, "detail": detail})


def pg_dump(target: Path) -> None:
    """Dump the site's database into `target` (custom format: compressed, one snapshot)."""
    program = pg_program("pg_dump")
    connections.close_all()
    done = subprocess.run(
        [program, "--format=custom", f"--file={target}"],
        env=_libpq_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise _failure("pg_dump", done.stderr)
    target.chmod(0o600)


def pg_check(dump: Path) -> None:
    """Refuse a dump that pg_restore cannot read (before anything is dropped)."""
    done = subprocess.run(
        [pg_program("pg_restore"), "--list", str(dump)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise _failure("pg_restore", done.stderr)


def pg_restore(dump: Path) -> None:
    """Replace every table of the site's database with the dump's, in one transaction.

    pg_restore first writes the dump out as SQL (so a failure there changes nothing); psql then
    runs the drop of the current tables and that SQL with `--single-transaction`: on any error
    the database stays as it was.
    """
    restore, psql = pg_program("pg_restore"), pg_program("psql")
    env = _libpq_env()
    script = dump.with_suffix(".sql")
    done = subprocess.run(
        [restore, "--no-owner", "--no-privileges", f"--file={script}", str(dump)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode != 0:
        raise _failure("pg_restore", done.stderr)
    connections.close_all()
    done = subprocess.run(
        [psql, *PSQL_OPTIONS, "-c", DROP_TABLES, "-f", str(script)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    if done.returncode != 0:
        raise _failure("psql", done.stderr)
