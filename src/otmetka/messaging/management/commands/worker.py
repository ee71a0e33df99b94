"""`otmetka worker`: run the background tasks (e-mail of new messages, daily digests) from the
database, the small scheduler that enqueues the digests due each minute, and the refresh of the
journal's timeliness rollups every `ROLLUP_EVERY` seconds on a thread of its own."""

import logging
import threading
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


def schedule_once() -> int:
    """Enqueue the digests due now (idempotent per user and day) and send the day's journal
    reminders (issue 14); errors are logged, never raised, so the worker keeps running."""
    from otmetka.messaging.digest import digests_schedule
    from otmetka.messaging.journal_reminders import journal_reminders_send

    try:
        try:
            journal_reminders_send()
        except Exception:
            log.exception("journal_reminders_send failed")
        return digests_schedule()
    except Exception:
        log.exception("digest scheduling failed")
        return 0
    finally:
        connection.close()  # this thread's own connection


def rollups_once() -> int:
    """Refresh the timeliness rollups of what changed or became due (`compliance_tick`); the rows
    written. Errors are logged, never raised."""
    from otmetka.compliance.rollups import compliance_tick

    try:
        return compliance_tick()
    except Exception:
        log.exception("compliance_tick failed")
        return 0
    finally:
        connection.close()  # this thread's own connection


def _scheduler(stop: threading.Event, tick: float) -> None:
    while not stop.is_set():
        worker_beat()  # the status page reads its age (docs/operators.md)
        schedule_once()
        stop.wait(tick)


def _rollups(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        rollups_once()
        stop.wait(every)


def threads_start(
    stop: threading.Event, *, tick: float = TICK, rollup_every: float = ROLLUP_EVERY
) -> list[threading.Thread]:
    """The worker's two daemon threads beside the task runner: the digest scheduler (every
    `tick` s) and the rollups' refresh (every `rollup_every` s); both end when `stop` is set."""
    threads = [
        threading.Thread(target=_scheduler, args=(stop, tick), name="digest-scheduler"),
        threading.Thread(target=_rollups, args=(stop, rollup_every), name="rollups"),
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
