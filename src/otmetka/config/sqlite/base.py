"""Django's SQLite backend with the write transactions of one process taken in turn.

SQLite lets one writer at a time. With `BEGIN IMMEDIATE` a second writer waits in SQLite's busy
handler, which polls with growing sleeps; in a process with many threads the transaction that
holds the lock also competes for the interpreter lock with every thread still preparing its own,
so it lasts many times its work, the queue grows, and waits pass the busy timeout: "database is
locked". Here a thread takes a process-wide mutex before `BEGIN IMMEDIATE` and gives it back at
COMMIT or ROLLBACK: writers of one process queue in order, without polling, and the lock holder
is the only one of them runnable.

Between processes (gunicorn workers) the turn is an exclusive `flock` on a file beside the
database ("<name>-writer"), taken after the mutex (so one thread per process asks for it) and
tried every millisecond. SQLite's own busy handler sleeps up to 100 ms between tries: with two
workers saving at once, a save waited for the other worker's sleep, not for its write, and at
32 clients single saves queued for seconds. SQLite's locking still guards the data (tools that
do not take the file lock, like `sqlite3` or a backup, meet the busy timeout as before).
Reads outside transactions never wait.
"""

import fcntl
import functools
import os
import stat
import threading
import time
from pathlib import Path
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

WRITE_WAIT_SECONDS = 60  # then fail as SQLite would, rather than hang a request for ever
POLL_SECONDS = 0.001
_writer = threading.Lock()
_lock_files: dict[tuple[int, str], int] = {}  # (pid, database) → this process's open lock file


def _lock_file(database: str) -> int:
    """This process's descriptor of the database's writer lock file (a forked child opens its
    own: a descriptor shared across a fork would share the lock too)."""
    key = (os.getpid(), database)
    fd = _lock_files.get(key)
    if fd is None:
        fd = _lock_files[key] = os.open(f"{database}-writer", os.O_RDWR | os.O_CREAT, 0o600)
    return fd


def _file_lock(fd: int) -> None:
    """Take the exclusive lock, trying every POLL_SECONDS, at most WRITE_WAIT_SECONDS."""
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise OperationalError("database is locked") from None
            time.sleep(POLL_SECONDS)


def private_database_file(path: Path) -> None:
    """Create the database file for its owner only (0600), or take group and others' access away.

    SQLite gives the WAL and SHM files the mode of the database file, so they follow.

    An existing file is never opened here: POSIX locks belong to the process, and closing any
    descriptor of the file drops the locks of every connection the process has open. Another
    process (`otmetka shell`, a backup, the worker) closing its connection then took itself for
    the last one, deleted the WAL and its index, and the server went on writing into deleted files.
    """
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        path.chmod(mode & 0o700)


@functools.lru_cache(maxsize=1024)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    """Django's cursor, with a query's "%s" → "?" conversion made once per query text rather
    than by a regular expression over the whole text on every execute (the hand-written reads
    and INSERTs of a save are kilobytes of SQL whose text is built once)."""

    def convert_query(self, query: str, *, param_names: Any = None) -> str:
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_writer = False
    _holds_file: int | None = None

    def create_cursor(self, name: Any = None) -> Any:
        return self.connection.cursor(factory=CursorWrapper)

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        """A connection to a database file created (or made) private first."""
        name = str(conn_params["database"])
        if not self.creation.is_in_memory_db(name) and not name.startswith("file:"):
            private_database_file(Path(name))
        return super().get_new_connection(conn_params)

    def _start_transaction_under_autocommit(self) -> None:
        if not _writer.acquire(timeout=WRITE_WAIT_SECONDS):
            raise OperationalError("database is locked")
        self._holds_writer = True
        try:
            name = str(self.settings_dict["NAME"])
            if not self.creation.is_in_memory_db(name) and not name.startswith("file:"):
                fd = _lock_file(name)
                _file_lock(fd)
                self._holds_file = fd
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in the stubs
        except BaseException:
            self._writer_release()
            raise

    def _writer_release(self) -> None:
        if self._holds_file is not None:
            fd, self._holds_file = self._holds_file, None
            fcntl.flock(fd, fcntl.LOCK_UN)
        if self._holds_writer:
            self._holds_writer = False
            _writer.release()

    # The transaction ends (or the connection goes) whatever the database answers: the turn too.
    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]  # private: not in the stubs
        finally:
            self._writer_release()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]  # private: not in the stubs
        finally:
            self._writer_release()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]  # private: not in the stubs
        finally:
            self._writer_release()
