"""Django's SQLite backend with the write transactions of one process taken in turn.

SQLite lets one writer at a time. With `BEGIN IMMEDIATE` a second writer waits in SQLite's busy
handler, which polls with growing sleeps; in a process with many threads the transaction that
holds the lock also competes for the interpreter lock with every thread still preparing its own,
so it lasts many times its work, the queue grows, and waits pass the busy timeout: "database is
locked". Here a thread takes a process-wide mutex before `BEGIN IMMEDIATE` and gives it back at
COMMIT or ROLLBACK: writers of one process queue in order, without polling, and the lock holder
is the only one of them runnable. Between processes (gunicorn workers) the busy timeout still
applies, with one waiting writer per process at most. Reads outside transactions never wait.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

WRITE_WAIT_SECONDS = 60  # then fail as SQLite would, rather than hang a request for ever
_writer = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_writer = False

    def _start_transaction_under_autocommit(self) -> None:
        if not _writer.acquire(timeout=WRITE_WAIT_SECONDS):
            raise OperationalError("database is locked")
        self._holds_writer = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._writer_release()
            raise

    def _writer_release(self) -> None:
        if self._holds_writer:
            self._holds_writer = False
            _writer.release()

    @contextmanager
    def _then_release(self) -> Iterator[None]:
        try:
            yield
        finally:
            self._writer_release()

    # The transaction ends (or the connection goes) whatever the database answers: the turn too.
    def _commit(self) -> Any:
        with self._then_release():
            return super()._commit()

    def _rollback(self) -> Any:
        with self._then_release():
            return super()._rollback()

    def _close(self) -> Any:
        with self._then_release():
            return super()._close()
