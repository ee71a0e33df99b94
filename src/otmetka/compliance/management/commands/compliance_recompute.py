"""`otmetka compliance_recompute`: recompute the timeliness rollups from the lessons (all of them,
or a school's, from a date): the incremental rollups must agree with it."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from otmetka.compliance.rollups import rollups_recompute
from otmetka.school.models import AcademicYear, School


class Command(BaseCommand):
    help = "Recompute the journal timeliness rollups (per school, course and day) from the lessons."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", type=int, help="Only this school (id).")
        parser.add_argument(
            "--since", type=datetime.date.fromisoformat,
            help="From this date (YYYY-MM-DD); default: the start of each school's current year.",
        )  # fmt: skip

    def handle(
        self, *args: Any, school: int | None = None, since: Any = None, **options: Any
    ) -> None:
        schools = School.objects.order_by("pk")
        if school is not None:
            schools = schools.filter(pk=school)
            if not schools.exists():
                raise CommandError(f"no school {school}")
        today = timezone.localdate()
        total = 0
        for row in schools:
            start = since or (
                AcademicYear.objects.filter(school=row, start__lte=today)
                .order_by("-start").values_list("start", flat=True).first()
                or today - datetime.timedelta(days=120)
            )  # fmt: skip
            written = rollups_recompute(school=row, start=start, end=today)
            total += written
            self.stdout.write(f"{row.short_name}: {written} rollups")
        self.stdout.write(self.style.SUCCESS(f"done: {total} rollups"))
