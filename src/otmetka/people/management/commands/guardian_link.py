"""`otmetka guardian_link`: the installation administrator links an existing account as a
guardian — the one case a school's own staff may not do (the account belongs elsewhere)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from otmetka.people.models import Guardian, Student
from otmetka.people.services import guardian_link_by_installation


class Command(BaseCommand):
    help = (
        "Link an existing account (by login) as a guardian of a student (by id), e.g. a parent "
        "who already signs in at another school. Audited in every school the account belongs to."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--login", required=True, help="the parent's existing login")
        parser.add_argument("--student", type=int, required=True, help="the student's id")
        parser.add_argument(
            "--relation", required=True, choices=list(Guardian.Relation.values), help="who"
        )
        parser.add_argument("--phone", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        student = Student.objects.filter(pk=options["student"]).first()
        if student is None:
            raise CommandError(_("No student has the id %(id)s.") % {"id": options["student"]})
        try:
            link = guardian_link_by_installation(
                student=student,
                login=options["login"],
                relation=options["relation"],
                phone=options["phone"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            _("Linked: %(user)s is now a guardian of %(student)s.")
            % {"user": link.user, "student": student}
        )
