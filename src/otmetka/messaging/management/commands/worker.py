"""`otmetka worker`: run the background tasks (e-mail of new messages, daily digests) from the
database, and the small scheduler that enqueues the digests due each minute."""

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


def schedule_once() -> int:
    """Enqueue the digests due now (idempotent per user and day), refresh the journal's
    timeliness rollups and send the day's journal reminders (issue 14); errors are logged,
    never raised, so the worker keeps running."""
    from otmetka.compliance.rollups import compliance_tick
    from otmetka.messaging.digest import digests_schedule
    from otmetka.messaging.journal_reminders import journal_reminders_send

    try:
        for job in (compliance_tick, journal_reminders_send):
            try:
                job()
            except Exception:
                log.exception("%s failed", job.__name__)
        return digests_schedule()
    except Exception:
        log.exception("digest scheduling failed")
        return 0
    finally:
        connection.close()  # this thread's own connection


def _scheduler(stop: threading.Event, tick: float) -> None:
    while not stop.is_set():
        worker_beat()  # the status page reads its age (docs/operators.md)
        schedule_once()
        stop.wait(tick)


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
            threading.Thread(
                target=_scheduler, args=(stop, TICK), name="digest-scheduler", daemon=True
            ).start()
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
