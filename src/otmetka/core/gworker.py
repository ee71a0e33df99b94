"""gunicorn's threaded worker that keeps the open connections even between the processes.

All workers wait on one listening socket, and a keep-alive connection stays with the worker
that accepted it. When clients connect at once, the first worker to wake often takes them
all: measured with 8 and 32 keep-alive clients on two workers (docs/benchmarks.md, "The
workers' share of the connections"), one level in three had every connection in one process,
which then ran alone on one core (the GIL) at half the requests a second, its threads fighting
over the interpreter lock (CPU a request 6 → 11 ms).

So each worker publishes how many connections it holds in a table shared by the workers (an
anonymous shared mapping made by the master before it forks them) and stops accepting while
it holds more than one connection above the least loaded live worker; the others then take
the new ones. The worker with the fewest always accepts, so a new connection is never left
waiting for long (at most one pass of the other workers' loops, ≤ 1 s).
"""

import os
from multiprocessing.sharedctypes import RawArray
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

# (pid, connections) a slot, filled by the workers; made by `table_make` in the master.
_table: Any = None


def table_make(workers: int) -> None:
    """The shared table, in the master before it forks: room for the workers and for those
    replacing them while the old ones are still stopping."""
    global _table
    _table = RawArray("q", 2 * (2 * workers + 4))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class BalancedThreadWorker(ThreadWorker):  # type: ignore[misc]  # gunicorn ships no types
    """ThreadWorker whose accepting stops while it holds more connections than its share."""

    _slot: int | None = None

    def init_process(self) -> None:
        self._slot = self._claim()
        super().init_process()

    def _claim(self) -> int | None:
        """A slot of the table: empty, or left by a worker that is gone."""
        if _table is None:
            return None
        me = os.getpid()
        for slot in range(len(_table) // 2):
            pid = _table[2 * slot]
            if pid == 0 or (pid != me and not _alive(pid)):
                _table[2 * slot], _table[2 * slot + 1] = me, 0
                return slot
        return None  # no room: accept as gunicorn would

    # ThreadWorker's loop reads `worker_connections` once a pass to decide whether to accept
    # (`nr_conns < worker_connections`): the property answers the share instead of the limit.
    @property
    def worker_connections(self) -> int:
        limit: int = self._limit
        slot = self._slot
        if slot is None:
            return limit
        mine = self.nr_conns
        _table[2 * slot + 1] = mine
        fewest = None
        for other in range(len(_table) // 2):
            pid = _table[2 * other]
            if other == slot or pid == 0:
                continue
            if not _alive(pid):
                _table[2 * other] = 0
                continue
            held = _table[2 * other + 1]
            fewest = held if fewest is None else min(fewest, held)
        if fewest is not None and mine > fewest + 1:
            return int(mine)  # not accepting until the others have caught up
        return limit

    @worker_connections.setter
    def worker_connections(self, value: int) -> None:
        self._limit = value
