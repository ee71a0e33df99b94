"""`otmetka idempotency_prune`: forget the API's stored answers older than a day (run daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from otmetka.api.services import idempotency_prune


class Command(BaseCommand):
    help = "Delete stored answers to Idempotency-Key requests older than 24 hours (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        """Prune and say how many were deleted."""
        deleted = idempotency_prune()
        self.stdout.write(f"idempotency_prune: {deleted} deleted")
