"""Whole installations for command tests: a data dir and a database, driven by `otmetka` itself.

Each `Site` runs the real console command in a subprocess with its own OTMETKA_DATA_DIR and
DATABASE_URL: a file-based SQLite database in the data dir, or a scratch PostgreSQL database on
the server of the suite's PostgreSQL run (created here, dropped afterwards).
"""

import hashlib
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

SITE_SECRET = "backup-tests-secret-key-backup-tests-secret-key-0123456789"


def postgres_url() -> str | None:
    """The PostgreSQL server of this test run, or None on the SQLite run."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@dataclass
class Site:
    """One installation: its data dir, its database and the environment of its commands."""

    data_dir: Path
    database_url: str
    kind: str
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
        env.update(
            OTMETKA_DATA_DIR=str(self.data_dir),
            DATABASE_URL=self.database_url,
            SECRET_KEY=SITE_SECRET,
            DJANGO_SETTINGS_MODULE="otmetka.config.settings",
        )
        return {**env, **self.extra_env}

    @property
    def media(self) -> Path:
        return self.data_dir / "media"

    def otmetka(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run `otmetka <args>` for this site; stdout and stderr captured."""
        return subprocess.run(
            [sys.executable, "-m", "otmetka", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def python(self, code: str, *args: str) -> subprocess.Popen[str]:
        """Start Python code with Django set up for this site (stdout piped)."""
        prelude = "import django; django.setup()\n"
        return subprocess.Popen(
            [sys.executable, "-c", prelude + code, *args],
            env=self.env,
            stdout=subprocess.PIPE,
            text=True,
        )

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of one SELECT on this site's database."""
        if self.kind == "sqlite":
            db = sqlite3.connect(self.data_dir / "otmetka.sqlite3")
            try:
                return db.execute(sql).fetchall()
            finally:
                db.close()
        with psycopg.connect(self.database_url) as db:
            return db.execute(sql).fetchall()

    def rows(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every table's rows, sorted (order of storage is no part of the content)."""
        if self.kind == "sqlite":
            return sqlite_rows(self.data_dir / "otmetka.sqlite3")
        with psycopg.connect(self.database_url) as db:
            names = db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            ).fetchall()
            return {
                name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
                for (name,) in names
            }


def sqlite_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows of a SQLite file, sorted."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'"
        ).fetchall()
        return {
            name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for (name,) in names
        }
    finally:
        db.close()


def content_hashes(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, tuple[int, str]]:
    """Per table: (row count, SHA-256 of its sorted rows)."""
    return {
        name: (len(table), hashlib.sha256(repr(table).encode()).hexdigest())
        for name, table in rows.items()
    }


def scratch_database(server_url: str, name: str) -> str:
    """Create an empty database `name` on the server (dropping an old one); its URL."""
    with psycopg.connect(server_url, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


def drop_database(server_url: str, name: str) -> None:
    """Drop a scratch database."""
    with psycopg.connect(server_url, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
