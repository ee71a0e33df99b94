"""The installation's status page for the school's administrator (2.3): is each part working?
Every check answers in a fraction of a second and never raises: a failure is a row of the page."""

import datetime
import shutil
import smtplib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from otmetka.core.backup import otmetka_version
from otmetka.core.health import backup_age, worker_age

OK, WARN, BAD = "ok", "warn", "bad"
WORKER_LATE = datetime.timedelta(minutes=3)  # the worker beats every minute
BACKUP_LATE = datetime.timedelta(hours=36)  # a daily backup, with a margin
DISK_LOW = 0.10  # less than a tenth free
SMTP_TIMEOUT = 3.0


@dataclass(frozen=True)
class Check:
    """One row of the status page: what, its state (ok, warn, bad) and the detail."""

    name: str
    state: str
    detail: str


def _ago(age: datetime.timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 120:
        return ngettext("%(n)s minute ago", "%(n)s minutes ago", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(n)s hour ago", "%(n)s hours ago", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)s day ago", "%(n)s days ago", days) % {"n": days}


def database_check() -> Check:
    """The database answers, and every migration of this version is applied."""
    name = _("Database")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return Check(name, BAD, _("No answer: %(error)s") % {"error": error})
    vendor = connection.vendor
    if pending:
        detail = _(
            "%(vendor)s answers, but %(n)s migrations are not applied: run «otmetka migrate»."
        )
        return Check(name, BAD, detail % {"vendor": vendor, "n": len(pending)})
    return Check(name, OK, _("%(vendor)s answers; all migrations applied.") % {"vendor": vendor})


def worker_check() -> Check:
    """The background worker (messages' e-mail, digests) beat within the last minutes."""
    name = _("Background worker")
    age = worker_age()
    if age is None:
        return Check(name, BAD, _("Has never run: start «otmetka worker»."))
    detail = _("Last seen %(ago)s.") % {"ago": _ago(age)}
    return Check(name, OK if age <= WORKER_LATE else BAD, detail)


def mail_check() -> Check:
    """E-mail is set up, and the SMTP server takes a connection."""
    name = _("E-mail")
    if "smtp" not in settings.EMAIL_BACKEND:
        return Check(name, WARN, _("Not set up: letters go to the server's log (EMAIL_HOST)."))
    where = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    try:
        with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=SMTP_TIMEOUT) as smtp:
            smtp.noop()
    except (TimeoutError, OSError, smtplib.SMTPException) as error:
        detail = _("The server %(where)s does not answer: %(error)s")
        return Check(name, BAD, detail % {"where": where, "error": error})
    return Check(name, OK, _("The server %(where)s answers.") % {"where": where})


def disk_check() -> Check:
    """Free space where the database and the uploaded files live."""
    name = _("Disk")
    usage = shutil.disk_usage(Path(settings.DATA_DIR))
    free = usage.free / usage.total if usage.total else 0.0
    detail = _("Free: %(free)s of %(total)s.") % {
        "free": filesizeformat(usage.free),
        "total": filesizeformat(usage.total),
    }
    return Check(name, OK if free >= DISK_LOW else BAD, detail)


def backup_check() -> Check:
    """The last backup is at most a day and a half old."""
    name = _("Backup")
    age = backup_age()
    if age is None:
        return Check(name, BAD, _("No backup is known: run «otmetka backup» every night."))
    detail = _("The last one was made %(ago)s.") % {"ago": _ago(age)}
    return Check(name, OK if age <= BACKUP_LATE else WARN, detail)


def version_check() -> Check:
    """The installed version (the support service asks for it)."""
    return Check(_("Version"), OK, f"Otmetka {otmetka_version()}")


def system_status() -> list[Check]:
    """Every check of the status page, in the page's order."""
    return [
        database_check(),
        worker_check(),
        mail_check(),
        disk_check(),
        backup_check(),
        version_check(),
    ]
