"""The demo has last year's archive, and it verifies."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from otmetka.archive.models import Archive
from otmetka.archive.services import archive_verify
from otmetka.grading.models import PeriodMark


@pytest.mark.django_db
def test_demo_has_last_years_archive_that_verifies(school_day: object) -> None:
    call_command("demo", "--no-serve", "--size", "tiny", stdout=io.StringIO())
    archive = Archive.objects.select_related("year").get()
    assert archive.year.name == "2025/2026"
    assert PeriodMark.objects.filter(year=archive.year, period__isnull=True).exists()
    assert archive_verify(Path(archive.path).with_suffix(".zip")) == []
    records = list((Path(archive.path) / "records").glob("*.json"))
    assert records and '"Год"' in records[0].read_text()
