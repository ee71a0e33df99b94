"""The database connections the settings make from DATABASE_URL. PostgreSQL's connection pool:
on for `otmetka serve` (OTMETKA_PG_POOL, set by the launcher), off for every other command and
the tests; SQLite never gets one, its connections persist (no PRAGMAs per request) and take the
write lock at BEGIN. The cache is large enough for a region."""

import json
import os
import subprocess
import sys
from pathlib import Path

READ = (
    "import json, sys; from otmetka import cli;"
    "cli.prepare_environment(['otmetka', *sys.argv[1:]]);"
    "from django.conf import settings; d = settings.DATABASES['default'];"
    "print(json.dumps([d['CONN_MAX_AGE'], d.get('OPTIONS', {}).get('pool')]))"
)
READ_ALL = (
    "import json, sys; from otmetka import cli;"
    "cli.prepare_environment(['otmetka', *sys.argv[1:]]);"
    "from django.conf import settings;"
    "print(json.dumps([settings.DATABASES['default'], settings.CACHES['default']], default=str))"
)


def _settings(*argv: str, read: str = READ, **env: str) -> list:
    gone = ("OTMETKA_PG_POOL", "DATABASE_URL", "OTMETKA_CACHE_ENTRIES", "OTMETKA_PG_PREPARE")
    base = {k: v for k, v in os.environ.items() if k not in gone}
    done = subprocess.run(
        [sys.executable, "-c", read, *argv],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_the_pool_is_for_serve_on_postgresql_only() -> None:
    pg = "postgres://postgres@127.0.0.1:5432/otm"
    assert _settings("serve", DATABASE_URL=pg) == [0, {"min_size": 1, "max_size": 8, "timeout": 10}]
    assert _settings("migrate", DATABASE_URL=pg) == [60, None]
    assert _settings("serve", DATABASE_URL=pg, OTMETKA_PG_POOL="0") == [60, None]
    assert _settings("serve", DATABASE_URL=pg, OTMETKA_PG_POOL="3")[1]["max_size"] == 3
    assert _settings("serve")[1] is None  # SQLite


def test_sqlite_connections_persist_and_write_at_begin(tmp_path: Path) -> None:
    database, cache = _settings("serve", read=READ_ALL, OTMETKA_DATA_DIR=str(tmp_path))
    assert database["ENGINE"] == "otmetka.config.sqlite"
    assert database["NAME"] == str(tmp_path / "otmetka.sqlite3")
    assert database["CONN_MAX_AGE"] == 600  # one connection a thread, kept between requests
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "PRAGMA journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert "pool" not in database["OPTIONS"]
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert cache["OPTIONS"]["MAX_ENTRIES"] == 20000


def test_postgresql_connections_persist_without_the_pool() -> None:
    pg = "postgres://postgres@127.0.0.1:5432/otm"
    database, cache = _settings(
        "migrate", read=READ_ALL, DATABASE_URL=pg, OTMETKA_CACHE_ENTRIES="500"
    )
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    assert "server_side_binding" not in database.get("OPTIONS", {})  # opt-in, below
    assert database["OPTIONS"]["prepare_threshold"] == 5  # only server-bound cursors prepare
    database, _ = _settings("serve", read=READ_ALL, DATABASE_URL=pg, OTMETKA_PG_PREPARE="1")
    assert database["OPTIONS"]["server_side_binding"] is True  # prepared after 5 runs
    assert cache["OPTIONS"]["MAX_ENTRIES"] == 500
