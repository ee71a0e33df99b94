"""`otmetka retention --years N [--apply]`: report (and with --apply anonymise) the personal data
of students who left more than N years ago; the journal keeps their marks under a pseudonym."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from otmetka.people.retention import retention_apply, retention_due
from otmetka.school.models import School


class Command(BaseCommand):
    help = (
        "Report the students who left more than N years ago; with --apply remove their personal "
        "data (names, birth date, document, login, guardians, consents, health records) and keep "
        "their marks under a pseudonym."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, required=True, help="years since the departure")
        parser.add_argument("--school", type=int, help="one school's id (default: every school)")
        parser.add_argument("--apply", action="store_true", help="anonymise (default: report)")

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["years"]
        if years < 1 or years > 100:
            raise CommandError(_("--years must be from 1 to 100."))
        school = None
        if options.get("school") is not None:
            school = School.objects.filter(pk=options["school"]).first()
            if school is None:
                raise CommandError(_("No school has the id %(id)s.") % {"id": options["school"]})
        leavers = retention_due(years=years, school=school)
        for leaver in leavers:
            self.stdout.write(
                _("%(school)s: student #%(id)s left on %(day)s")
                % {
                    "school": leaver.student.school.short_name or leaver.student.school.name,
                    "id": leaver.student.pk,
                    "day": leaver.left_on.strftime("%d.%m.%Y"),
                }
            )
        if not options["apply"]:
            self.stdout.write(
                _("%(n)d student(s) due; nothing changed (add --apply to anonymise).")
                % {"n": len(leavers)}
            )
            return
        done = retention_apply(leavers=leavers)
        self.stdout.write(_("%(n)d student(s) anonymised.") % {"n": done})
