"""`otmetka archive YEAR` builds the year's signed archive; `otmetka archive --verify PATH`
checks one (every file's SHA-256 and the manifest's signature)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from otmetka.archive.services import (
    RETENTION_YEARS,
    archive_create,
    archive_school_certificate,
    archive_verify,
)
from otmetka.school.models import AcademicYear


def find_year(name: str, school: int | None) -> AcademicYear:
    """The year by its name («2026/2027»), of the given school when several have it."""
    years = AcademicYear.objects.filter(name=name).select_related("school")
    if school is not None:
        years = years.filter(school_id=school)
    found = list(years[:2])
    if not found:
        raise CommandError(_("No year %(name)s.") % {"name": name})
    if len(found) > 1:
        raise CommandError(
            _("Several schools have the year %(name)s: give --school.") % {"name": name}
        )
    return found[0]


class Command(BaseCommand):
    help = (
        "Build the signed year-end archive of a school year (class journals, gradesheets, "
        "student records, manifest with SHA-256, CMS signature; a folder and a .zip), or check "
        "one with --verify."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", nargs="?", help="the year's name, e.g. 2026/2027")
        parser.add_argument("--school", type=int, help="the school's id (when several)")
        parser.add_argument(
            "--retention", type=int, default=RETENTION_YEARS, help="years to keep (R5)"
        )
        parser.add_argument("--verify", metavar="PATH", help="check an archive folder or .zip")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verify"]:
            self._verify(Path(options["verify"]), options["school"])
            return
        if not options["year"]:
            raise CommandError(_("Give the year (e.g. 2026/2027) or --verify PATH."))
        year = find_year(options["year"], options["school"])
        archive = archive_create(
            actor=None,
            year=year,
            retention_years=options["retention"],
            progress=lambda line: self.stderr.write(line),
        )
        self.stdout.write(
            _("Archive written: %(path)s (.zip: %(size)s, files: %(files)s).")
            % {"path": archive.path, "size": filesizeformat(archive.size), "files": archive.files}
        )

    def _verify(self, path: Path, school: int | None) -> None:
        trusted = archive_school_certificate(school) if school is not None else None
        problems = archive_verify(path, trusted)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(_("The archive is NOT intact."))
        self.stdout.write(_("The archive is intact: every hash and the signature are valid."))
