"""`otmetka worker`: run the background tasks (e-mail of new messages) from the database."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background worker (django-tasks, database backend)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run the due tasks, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(
        self, *args: Any, batch: bool = False, interval: float = 1.0, **options: Any
    ) -> None:
        extra = ["--batch"] if batch else []
        call_command(
            "db_worker",
            "--queue-name=*",
            f"--interval={interval}",
            "--no-startup-delay",
            "--no-reload",
            *extra,
            verbosity=options.get("verbosity", 1),
        )
