"""`otmetka serve` runs gunicorn that answers real HTTP, static files included, and keeps a
client's connection open between requests (even with one thread a worker)."""

import http.client
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

OTMETKA = [sys.executable, "-m", "otmetka"]
# Its own SQLite file whatever the suite runs on: scripts/test runs it in the SQLite pass only.
pytestmark = pytest.mark.db_independent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_the_login_page_and_static_files(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "OTMETKA_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    subprocess.run([*OTMETKA, "migrate", "-v0"], env=env, check=True, timeout=120)
    port = free_port()
    server = subprocess.Popen(
        [*OTMETKA, "serve", "--port", str(port), "--workers", "1", "--threads", "1"],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    watchdog = threading.Timer(120, server.kill)  # a hung server fails the test, not the run
    watchdog.start()
    try:
        log = ""
        for line in server.stderr:  # wait for gunicorn's own word that it listens
            log += line
            if "Booting worker" in line:
                break
        assert f"Listening at: http://127.0.0.1:{port}" in log, log
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{base}/accounts/login/", timeout=30) as page:
            assert page.status == 200
            assert 'name="password"' in page.read().decode()
        with urllib.request.urlopen(f"{base}/static/core/otmetka.css", timeout=30) as css:
            assert css.status == 200
            assert b"{" in css.read()
        assert (tmp_path / "static" / "core" / "otmetka.css").exists()  # collectstatic ran
        # Keep-alive: two requests on one connection (gunicorn's sync worker, which a single
        # thread would get by default, closes it after every answer).
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/accounts/login/")
        first = conn.getresponse()
        first.read()
        sock = conn.sock
        assert first.status == 200 and first.getheader("Connection", "") != "close"
        conn.request("GET", "/static/core/otmetka.css")
        second = conn.getresponse()
        assert second.status == 200 and b"{" in second.read()
        assert conn.sock is sock  # the same connection answered both
        conn.close()
    finally:
        watchdog.cancel()
        server.terminate()
        server.wait(timeout=60)
