"""`otmetka worker`: run the background tasks (e-mail of new messages, daily digests) from the
database, the small scheduler that enqueues the digests due each minute, and the refresh of the
journal's timeliness rollups every `ROLLUP_EVERY` seconds on a thread of its own."""

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser
from django.db import connection

from otmetka.core.commands import TranslatedCommand, gettext_lazy
from otmetka.core.health import worker_beat

log = logging.getLogger(__name__)
TICK = 60.0  # seconds between two looks for due digests
# Seconds between two refreshes of the timeliness rollups. A change reaches the dashboards within
# this period plus one refresh (issue 14: staleness ≤ 60 s; a refresh of what a minute of a region
# touched takes a few seconds, docs/benchmarks.md); its own thread, so a slow digest run or a slow
# mail server never holds it back.
ROLLUP_EVERY = 20.0


def _guarded(job: Callable[[], int | None]) -> int:
    """Run one of the threads' jobs: what it returns, or 0 when it failed (logged, never raised,
    so the worker keeps running)."""
    try:
        return job() or 0
    except Exception:
        log.exception("%s failed", job.__name__)
        return 0


def schedule_once() -> int:
    """Send the day's journal reminders (issue 14) and enqueue the digests due now (idempotent
    per user and day); the digests enqueued."""
    from otmetka.messaging.digest import digests_schedule
    from otmetka.messaging.journal_reminders import journal_reminders_send

    try:
        _guarded(journal_reminders_send)
        return _guarded(digests_schedule)
    finally:
        connection.close()  # this thread's own connection


def rollups_once() -> int:
    """Refresh the timeliness rollups of what changed or became due (`compliance_tick`); the rows
    written."""
    from otmetka.compliance.rollups import compliance_tick

    try:
        return _guarded(compliance_tick)
    finally:
        connection.close()  # this thread's own connection


def _every(stop: threading.Event, period: float, *jobs: Callable[[], object]) -> None:
    """Run the jobs, then wait `period` seconds, until `stop` is set."""
    while not stop.is_set():
        for job in jobs:
            job()
        stop.wait(period)


def threads_start(
    stop: threading.Event, *, tick: float = TICK, rollup_every: float = ROLLUP_EVERY
) -> list[threading.Thread]:
    """The worker's two daemon threads beside the task runner: the digest scheduler (every
    `tick` s) and the rollups' refresh (every `rollup_every` s); both end when `stop` is set."""
    threads = [
        # worker_beat: the status page reads its age (docs/operators.md)
        threading.Thread(
            target=_every, args=(stop, tick, worker_beat, schedule_once), name="digest-scheduler"
        ),
        threading.Thread(target=_every, args=(stop, rollup_every, rollups_once), name="rollups"),
    ]
    for thread in threads:
        thread.daemon = True
        thread.start()
    return threads


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Run the background worker (django-tasks, database backend) and the digest scheduler."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help=gettext_lazy("Run the due tasks, then exit.")
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help=gettext_lazy("Seconds between polls.")
        )

    def handle(
        self, *args: Any, batch: bool = False, interval: float = 1.0, **options: Any
    ) -> None:
        stop = threading.Event()
        if batch:
            from otmetka.compliance.rollups import compliance_tick
            from otmetka.messaging.digest import digests_schedule

            compliance_tick()
            digests_schedule()
            worker_beat()
        else:
            threads_start(stop)
        extra = ["--batch"] if batch else []
        try:
            call_command(
                "db_worker",
                "--queue-name=*",
                f"--interval={interval}",
                "--no-startup-delay",
                "--no-reload",
                *extra,
                verbosity=options.get("verbosity", 1),
            )
        finally:
            stop.set()
