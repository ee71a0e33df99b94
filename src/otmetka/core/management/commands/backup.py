"""`otmetka backup [FILE]`: the database and the uploaded files in one checked archive."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from otmetka.core.backup import BackupError, Progress, backup_create, default_backup_path
from otmetka.core.commands import TranslatedCommand, gettext_lazy


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Back up the database and the uploaded files into one archive with checksums "
        "(a consistent snapshot; the site may keep running)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            help=gettext_lazy("archive to write (default: otmetka-backup-<date>.tar.gz here)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]) if options["file"] else default_backup_path()
        try:
            # The stream OutputWrapper wraps (the stubs type `_out` as a callable).
            progress = Progress(self.stderr._out)  # type: ignore[arg-type]
            manifest = backup_create(path=path, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = filesizeformat(path.stat().st_size)
        files = len(manifest["parts"]) - 1
        self.stdout.write(
            _("Backup written: %(path)s (%(size)s; uploaded files: %(files)s).")
            % {"path": path, "size": size, "files": files}
        )
