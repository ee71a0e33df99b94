"""`otmetka restore FILE [--force]`: put a backup's database and uploaded files in place."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from otmetka.core.backup import BackupError, Progress, backup_lagging_migrations, backup_restore
from otmetka.core.commands import TranslatedCommand, gettext_lazy


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Restore a backup made by `otmetka backup` into the configured database and media "
        "directory (stop the site first). Refuses a damaged or foreign file, a backup of the "
        "other database kind, and a database that already holds data unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=gettext_lazy("the backup archive"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext_lazy("replace a database and uploaded files that are not empty"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(
                path=Path(options["file"]),
                force=options["force"],
                # The stream OutputWrapper wraps (the stubs type `_out` as a callable).
                progress=Progress(self.stderr._out),  # type: ignore[arg-type]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Restored the backup of %(created)s (Otmetka %(version)s).")
            % {"created": manifest["created_at"], "version": manifest["otmetka_version"]}
        )
        if backup_lagging_migrations(manifest):
            self.stdout.write(_("The backup is from an older version: now run `otmetka migrate`."))
