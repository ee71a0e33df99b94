"""PostgreSQL's connection pool: on for `otmetka serve` (OTMETKA_PG_POOL, set by the launcher),
off for every other command and the tests; SQLite never gets one."""

import json
import os
import subprocess
import sys

READ = (
    "import json, sys; from otmetka import cli;"
    "cli.prepare_environment(['otmetka', *sys.argv[1:]]);"
    "from django.conf import settings; d = settings.DATABASES['default'];"
    "print(json.dumps([d['CONN_MAX_AGE'], d.get('OPTIONS', {}).get('pool')]))"
)


def _settings(*argv: str, **env: str) -> list:
    base = {k: v for k, v in os.environ.items() if k not in ("OTMETKA_PG_POOL", "DATABASE_URL")}
    done = subprocess.run(
        [sys.executable, "-c", READ, *argv],
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
