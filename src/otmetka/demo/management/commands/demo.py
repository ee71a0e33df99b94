"""`otmetka demo`: build the demo school once, print one login per role, and serve it."""

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from otmetka.core.commands import TranslatedCommand, gettext_lazy
from otmetka.core.management.commands.serve import serve
from otmetka.demo.archive import demo_archive_add
from otmetka.demo.generator import SIZES, DemoAccount, demo_accounts_ensure, generate
from otmetka.demo.selectors import demo_school, demo_size, has_schools
from otmetka.messaging.worker import worker_start_beside


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Migrate the database, create a realistic demo school if there is none, print one login "
        "and password per role, and serve it on http://127.0.0.1:8000."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size", choices=list(SIZES), default="full", help=gettext_lazy("default: full")
        )
        parser.add_argument(
            "--schools", type=int, default=1, help=gettext_lazy("how many schools to create")
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help=gettext_lazy("the same seed, the same data")
        )
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve", action="store_true", help=gettext_lazy("only prepare the data")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        accounts = self.prepare(options)
        self.accounts_print(accounts)
        size = demo_size()
        self.stdout.write(
            _(
                "Schools: %(schools)s, classes this school year: %(classes)s, "
                "students: %(students)s, staff: %(staff)s, parents: %(guardians)s."
            )
            % asdict(size)
        )
        self.stdout.write(
            _("Lessons: %(lessons)s, marks: %(marks)s, absences: %(absences)s.") % asdict(size)
        )
        if options["no_serve"]:
            self.stdout.write(_("To open it in a browser, run: otmetka serve"))
            return
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(_("Open %(url)s and log in with a line above.") % {"url": url})
        self.stdout.flush()  # gunicorn forks: unflushed output would be printed by every worker
        worker_start_beside()  # the e-mail of new messages goes out in the background
        settings.OTMETKA_DEMO = True  # the login page says so (gunicorn's workers fork from here)
        serve(host=options["host"], port=options["port"])

    def prepare(self, options: dict[str, Any]) -> list[DemoAccount]:
        """Reuse the demo school if the database has one, else generate it."""
        school = demo_school()
        if school is not None:
            self.stdout.write(
                _("The database already has the demo school %(school)s: using its data.")
                % {"school": school.short_name}
            )
            return demo_accounts_ensure(school=school)
        if has_schools():
            raise CommandError(
                _(
                    "The database holds schools the demo did not create, and the demo does not "
                    "touch them. Set OTMETKA_DATA_DIR or DATABASE_URL to an empty database."
                )
            )
        self.stdout.write(_("Generating the demo school…"))
        size = SIZES[options["size"]]
        result = generate(seed=options["seed"], schools=options["schools"], **size)
        seconds = number_format(result.seconds, 1)
        self.stdout.write(_("Generated in %(seconds)s s.") % {"seconds": seconds})
        demo_archive_add(school=result.schools[0], seed=options["seed"])  # last year, archived
        return result.accounts

    def accounts_print(self, accounts: list[DemoAccount]) -> None:
        """A plain-text table: role, login, password, full name."""
        rows: list[tuple[str, ...]] = [(_("Role"), _("Login"), _("Password"), _("Full name"))]
        rows += [(a.label, a.user.username, a.password, a.user.full_name) for a in accounts]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        rows.insert(1, tuple("-" * w for w in widths))
        for row in rows:
            line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())
