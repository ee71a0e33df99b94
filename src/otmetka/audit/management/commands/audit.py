"""`otmetka audit verify`: walk the audit log's hash chains and name the first broken link of
each school's chain (exit status 1 when one is broken)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from otmetka.audit.chain import verify


class Command(BaseCommand):
    help = "Check the audit log: each school's chain of hashes, from its first event to its last."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        check = sub.add_parser("verify", help="verify the hash chains (exit 1 if one is broken)")
        check.add_argument("--school", type=int, action="append", help="a school's id (repeat)")

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify(options.get("school"))
        for link in broken:
            problem = (
                _("the event was changed")
                if link.problem == "hash"
                else _("an event before it was changed or removed")
            )
            self.stderr.write(
                _("School %(school)s: the chain breaks at event #%(event)s: %(problem)s.")
                % {"school": link.school_id or "—", "event": link.event_id, "problem": problem}
            )
        if broken:
            raise CommandError(
                _("The audit log is broken: %(n)d chain(s) of %(checked)d events checked.")
                % {"n": len(broken), "checked": checked}
            )
        self.stdout.write(_("The audit log is intact: %(n)d events checked.") % {"n": checked})
