"""`otmetka close_year YEAR [--dry-run]`: lock the year, archive it, open the next one and roll
the classes up (idempotent: a second run changes nothing)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from otmetka.archive.closing import year_close, year_close_plan
from otmetka.archive.management.commands.archive import find_year


class Command(BaseCommand):
    help = (
        "Close a school year: lock its journals, make its archive, open the next year with its "
        "periods and move the classes up (9th and 11th grades leave). --dry-run prints the plan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", help="the year's name, e.g. 2026/2027")
        parser.add_argument("--school", type=int, help="the school's id (when several)")
        parser.add_argument("--dry-run", action="store_true", help="print what would change")

    def handle(self, *args: Any, **options: Any) -> None:
        year = find_year(options["year"], options["school"])
        plan = year_close_plan(year=year)
        lines = plan.lines()
        for line in lines:
            self.stdout.write(line)
        if not lines:
            self.stdout.write(_("Nothing to change: the year is closed."))
            return
        if options["dry_run"]:
            return
        year_close(actor=None, year=year, progress=lambda line: self.stderr.write(line))
