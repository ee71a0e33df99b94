"""`otmetka serve` runs gunicorn that answers real HTTP, static files included, and keeps a
client's connection open between requests (even with one thread a worker)."""

import http.client
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

OTMETKA = [sys.executable, "-m", "otmetka"]
# Its own SQLite file whatever the suite runs on: scripts/test runs it in the SQLite pass only.
pytestmark = pytest.mark.db_independent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(tmp_path: Path, workers: int, threads: int) -> Iterator[tuple[subprocess.Popen, int]]:
    """`otmetka serve` on a migrated SQLite file of its own and a free port: (process, port).
    A watchdog kills a hung server so that it fails the test, not the run."""
    env = {
        **os.environ,
        "OTMETKA_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    subprocess.run([*OTMETKA, "migrate", "-v0"], env=env, check=True, timeout=120)
    port = free_port()
    sizes = ["--workers", str(workers), "--threads", str(threads)]
    server = subprocess.Popen(
        [*OTMETKA, "serve", "--port", str(port), *sizes],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    watchdog = threading.Timer(120, server.kill)
    watchdog.start()
    try:
        yield server, port
    finally:
        watchdog.cancel()
        server.terminate()
        server.wait(timeout=60)


def test_serve_answers_the_login_page_and_static_files(tmp_path: Path) -> None:
    with serving(tmp_path, workers=1, threads=1) as (server, port):
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


def _worker_sockets(master: int, port: int) -> dict[int, int]:
    """Established connections to `port` held by each of gunicorn's workers (from /proc)."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
                established.add(fields[9])  # the socket's inode
    workers = []
    for task in Path(f"/proc/{master}/task").iterdir():
        workers += [int(pid) for pid in (task / "children").read_text().split()]
    held = {}
    for pid in workers:
        links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
        held[pid] = sum(link.startswith("socket:[") and link[8:-1] in established for link in links)
    return held


def test_serve_spreads_keep_alive_connections_over_its_workers(tmp_path: Path) -> None:
    """Sixteen clients connecting at once end up even between two workers (within two), where
    gunicorn's own gthread worker often let the first to wake take most of them."""
    conns: list[http.client.HTTPConnection] = []
    threads: list[threading.Thread] = []
    done = threading.Event()
    with serving(tmp_path, workers=2, threads=1) as (server, port):
        booted = 0
        for line in server.stderr:  # both workers up before anyone connects
            booted += "Booting worker" in line
            if booted == 2:
                break
        barrier, answered = threading.Barrier(16), threading.Semaphore(0)

        def client() -> None:
            # Requests every 0.2 s until counted: an idle connection would be closed after
            # gunicorn's keep-alive timeout (2 s) and leave the count.
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conns.append(conn)
            barrier.wait()
            first = True
            while first or not done.wait(0.2):
                conn.request("GET", "/static/core/otmetka.css")
                response = conn.getresponse()
                response.read()
                assert response.status == 200
                if first:
                    answered.release()
                    first = False

        threads = [threading.Thread(target=client) for _ in range(16)]
        try:
            for t in threads:
                t.start()
            for _ in threads:
                assert answered.acquire(timeout=60)
            held = _worker_sockets(server.pid, port)
            assert len(held) == 2 and sum(held.values()) == 16, held
            assert max(held.values()) - min(held.values()) <= 2, held
        finally:
            done.set()
            for t in threads:
                t.join(30)
            for conn in conns:
                conn.close()
