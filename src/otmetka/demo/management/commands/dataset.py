"""`otmetka dataset NAME`: load a benchmark dataset (school-S, region-M, tiny) into an empty
database, with a progress line and the load rate."""

import datetime
from typing import Any, cast

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import connection
from django.utils.text import format_lazy

from otmetka.core.commands import TranslatedCommand, gettext_lazy
from otmetka.demo.dataset import BENCH_TODAY, DATASETS, dataset_load, dataset_shapes


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Migrate the database and load a generated benchmark dataset into it: one large school "
        "(school-S) or a Crimea-sized region (region-M), a year of lessons, marks and absences."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=list(DATASETS))
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=gettext_lazy("multiplies the number of schools (region-M)"),
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help=gettext_lazy("the same seed, the same data")
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=BENCH_TODAY,
            help=cast(
                str,
                format_lazy(
                    gettext_lazy("the journal is filled up to this day (default {day})"),
                    day=f"{BENCH_TODAY:%Y-%m-%d}",
                ),
            ),
        )
        parser.add_argument(
            "--no-progress", action="store_true", help=gettext_lazy("no progress line")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        shapes = dataset_shapes(options["name"], options["scale"])
        self.stdout.write(
            f"{options['name']} × {options['scale']:g}: {len(shapes)} schools into "
            f"{connection.vendor} ({connection.settings_dict['NAME']})"
        )
        try:
            result = dataset_load(
                options["name"],
                scale=options["scale"],
                seed=options["seed"],
                today=options["today"],
                # The stream OutputWrapper wraps (the stubs type `_out` as a callable).
                progress=None if options["no_progress"] else self.stderr._out,  # type: ignore[arg-type]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        rows = ", ".join(f"{model} {count:,}" for model, count in sorted(result.rows.items()))
        self.stdout.write(
            f"Loaded {result.schools} schools in {result.seconds:.1f} s: {rows} "
            f"({result.rate:,.0f} rows/s)."
        )
