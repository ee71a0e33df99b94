"""Writes of the archive: build a year's signed archive (folder + .zip) and check one.

An archive folder holds `journals/` (a PDF per class journal), `gradesheets/` (the summary
gradesheets of every period and the year, PDF and XLSX), `records/` (each student's record, PDF
and JSON), `manifest.json` (every file with its SHA-256), `manifest.json.p7s` (the detached
CMS signature of the manifest by the school's key) and `school.crt` (to check it)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography import x509
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.archive import exports, signing
from otmetka.archive.journal_pdf import journal_pdf
from otmetka.archive.models import Archive
from otmetka.archive.selectors import class_journal, course_title, journal_classes, student_record
from otmetka.audit.services import event_record, snapshot
from otmetka.people.models import Student
from otmetka.reports import exports as sheets_export
from otmetka.reports.selectors import gradesheets
from otmetka.school.models import AcademicYear, Enrollment, Period, PeriodScheme, SchoolClass

MANIFEST, SIGNATURE, CERT = "manifest.json", "manifest.json.p7s", "school.crt"
FORMAT = "otmetka-archive/1"
Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    """No progress output."""


def archive_root(school_id: int) -> Path:
    """Where a school's archives are written (under OTMETKA_DATA_DIR)."""
    return Path(settings.DATA_DIR) / "archive" / f"school-{school_id}"


def _safe(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text).strip("-")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Tracker:
    """Counts the files written against the expected total and shows it: on the Archive row
    being built (at most once a second, for the list page) and as the command's progress line."""

    def __init__(self, archive: Archive | None, total: int, progress: Progress) -> None:
        self.archive, self.total, self.progress = archive, total, progress
        self.done = 0
        self.saved = 0.0

    def add(self, files: int) -> None:
        self.done += files
        self.total = max(self.total, self.done)
        if self.archive is not None and time.monotonic() - self.saved >= 1.0:
            Archive.objects.filter(pk=self.archive.pk).update(done=self.done, total=self.total)
            self.saved = time.monotonic()

    def say(self, line: str) -> None:
        counts = {"done": self.done, "total": self.total}
        self.progress(f"{line} " + _("Files: %(done)s of %(total)s.") % counts)


def _expected_files(year: AcademicYear, classes: list[SchoolClass]) -> int:
    """How many files the archive will hold: a journal per class, a PDF and an XLSX per class
    and period (and the year), a PDF per class and a JSON per student, the manifest, its
    signature and the certificate (two queries)."""
    periods: dict[str, int] = {}
    for scheme in Period.objects.filter(year=year).values_list("scheme", flat=True):
        periods[scheme] = periods.get(scheme, 0) + 1
    sheets = sum(periods.get(c.period_scheme or PeriodScheme.QUARTERS, 0) + 1 for c in classes)
    students = (
        Enrollment.objects.filter(school_class__in=classes)
        .values("school_class")
        .annotate(n=Count("student", distinct=True))
    )
    enrolled: int = sum(row["n"] for row in students)
    return 2 * len(classes) + 2 * sheets + enrolled + 3


def _journals(folder: Path, classes: list[SchoolClass], progress: Tracker) -> None:
    (folder / "journals").mkdir()
    for school_class in classes:
        courses, pages = class_journal(school_class)
        homeroom = school_class.homeroom_teacher
        journal_pdf(
            folder / "journals" / f"{_safe(str(school_class))}-{school_class.pk}.pdf",
            school=school_class.school.name,
            title=_("Class journal %(class)s, %(year)s")
            % {"class": school_class, "year": school_class.year.name},
            homeroom=homeroom.full_name if homeroom else "",
            course_names=[course_title(c) for c in courses],
            pages=pages,
        )
        progress.add(1)
        progress.say(_("Journal of %(class)s written.") % {"class": school_class})


def _gradesheets(
    folder: Path, year: AcademicYear, classes: list[SchoolClass], progress: Tracker
) -> None:
    """Each scheme's periods and the year, every class of that scheme (reports' exporters)."""
    (folder / "gradesheets").mkdir()
    school = year.school
    periods = list(Period.objects.filter(year=year).order_by("scheme", "start"))
    schemes = {c.period_scheme or PeriodScheme.QUARTERS for c in classes}
    for scheme in sorted(schemes):
        mine = [c for c in classes if (c.period_scheme or PeriodScheme.QUARTERS) == scheme]
        asked: list[Period | None] = [p for p in periods if p.scheme == scheme]
        for period in [*asked, None]:
            label = period.name if period else _("year %(year)s") % {"year": year.name}
            for sheet in gradesheets(school=school, classes=mine, period=period):
                name = f"{_safe(str(sheet.school_class))}-{sheet.school_class.pk}-"
                name += f"{period.scheme}-{period.number}" if period else "year"
                pdf = sheets_export.gradesheet_pdf(sheet, label, school.name)
                (folder / "gradesheets" / f"{name}.pdf").write_bytes(pdf)
                xlsx = sheets_export.gradesheet_xlsx(sheet, label)
                (folder / "gradesheets" / f"{name}.xlsx").write_bytes(xlsx)
                progress.add(2)


def _records(folder: Path, classes: list[SchoolClass], progress: Tracker) -> int:
    """Per class of the year: one PDF of its students' records and a JSON per student (a
    student who changed class during the year is in both classes' files)."""
    (folder / "records").mkdir()
    count = 0
    for school_class in classes:
        ids = Enrollment.objects.filter(school_class=school_class).values("student_id")
        students = Student.objects.filter(pk__in=ids).order_by("last_name", "first_name", "pk")
        records = []
        for student in students:
            record = student_record(student=student)
            name = f"{_safe(student.last_name)}-{student.pk}.json"
            (folder / "records" / name).write_bytes(exports.record_json(record))
            records.append(record)
        title = _("Personal records — results, %(class)s") % {"class": school_class}
        target = folder / "records" / f"{_safe(str(school_class))}-{school_class.pk}.pdf"
        exports.records_pdf(records, target, title=title)
        count += len(records)
        progress.add(1 + len(records))
    progress.say(_("Records written: %(count)s.") % {"count": count})
    return count


def _manifest(folder: Path, header: dict[str, Any]) -> bytes:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    header["files"] = [
        {"path": p.relative_to(folder).as_posix(), "sha256": _sha256(p), "size": p.stat().st_size}
        for p in files
    ]
    return json.dumps(header, ensure_ascii=False, indent=1).encode()


def _zip(folder: Path) -> Path:
    target = folder.with_suffix(".zip")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            out.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return target


def archive_create(
    *,
    actor: Any,
    year: AcademicYear,
    retention_years: int = 5,
    progress: Progress = _quiet,
    archive: Archive | None = None,
) -> Archive:
    """Build, sign and record the year's archive (a folder and its .zip); audited. `archive`:
    the queued row to build (the background task; its state and progress are kept on it),
    otherwise a new row is made at the end (the command, closing the year)."""
    school = year.school
    now = timezone.now()
    root = archive_root(school.pk)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{_safe(year.name)}-{now:%Y%m%dT%H%M%S}"
    taken = 1
    while (root / name).exists() or (root / f"{name}.zip").exists():
        taken += 1
        name = f"{_safe(year.name)}-{now:%Y%m%dT%H%M%S}-{taken}"
    folder = root / f"{name}.partial"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    classes = list(journal_classes(year=year))
    tracker = Tracker(archive, _expected_files(year, classes), progress)
    if archive is not None:
        archive.state, archive.total = Archive.State.BUILDING, tracker.total
        Archive.objects.filter(pk=archive.pk).update(state=archive.state, total=archive.total)
    _journals(folder, classes, tracker)
    _gradesheets(folder, year, classes, tracker)
    tracker.say(_("Gradesheets written."))
    _records(folder, classes, tracker)
    key, cert = signing.school_keys(school.pk, school.name)
    header = {
        "format": FORMAT,
        "school": {"id": school.pk, "name": school.name},
        "year": year.name,
        "created_at": now.isoformat(),
        "created_by": getattr(actor, "full_name", "") or str(actor or ""),
        "retention_years": retention_years,
    }
    manifest = _manifest(folder, header)
    (folder / MANIFEST).write_bytes(manifest)
    (folder / SIGNATURE).write_bytes(signing.sign_detached(manifest, key, cert))
    (folder / CERT).write_bytes(cert.public_bytes(signing.serialization.Encoding.PEM))
    final = root / name
    folder.rename(final)
    zipped = _zip(final)
    files = len(json.loads(manifest)["files"]) + 3
    tracker.done = tracker.total = files
    with transaction.atomic():
        if archive is None:
            archive = Archive(
                school=school,
                year=year,
                retention_years=retention_years,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
        archive.path = str(final)
        archive.manifest_sha256 = hashlib.sha256(manifest).hexdigest()
        archive.files = archive.done = archive.total = files
        archive.size = zipped.stat().st_size
        archive.state = Archive.State.READY
        archive.save()
        event_record(actor=actor, action="archive_create", obj=archive, after=snapshot(archive))
    tracker.say(_("The archive is signed."))
    return archive


def archive_enqueue(*, actor: Any, year: AcademicYear) -> Archive:
    """Queue the year's archive for the background worker (`otmetka worker`): a row in the
    state «queued» and its task, in one transaction with the audit event. Refused (ValueError,
    a Russian message) while an archive of the year is still queued or building."""
    from otmetka.archive.tasks import archive_build

    with transaction.atomic():
        busy = Archive.objects.select_for_update().filter(
            year=year, state__in=[Archive.State.QUEUED, Archive.State.BUILDING]
        )
        if busy.exists():
            raise ValueError(_("The archive of %(year)s is already being made.") % {"year": year})
        archive = Archive.objects.create(
            school_id=year.school_id,
            year=year,
            retention_years=RETENTION_YEARS,
            created_by=actor,
            state=Archive.State.QUEUED,
        )
        event_record(actor=actor, action="archive_queue", obj=archive, after=snapshot(archive))
        archive_build.enqueue(archive.pk)
    return archive


def archive_failed(*, archive: Archive, error: Exception) -> None:
    """Record that building the archive failed (the list shows «ошибка»); audited."""
    with transaction.atomic():
        archive.state = Archive.State.FAILED
        archive.error = f"{type(error).__name__}: {error}"[:500]
        archive.save(update_fields=["state", "error"])
        event_record(
            actor=archive.created_by,
            action="archive_fail",
            obj=archive,
            after={"error": archive.error},
        )


# --- verification ------------------------------------------------------------------------------


def _open(path: Path) -> tuple[Callable[[str], bytes | None], list[str]]:
    """A reader of the archive's files by relative path, and the list of its files."""
    if path.is_dir():

        def read_dir(name: str) -> bytes | None:
            target = path / name
            return target.read_bytes() if target.is_file() else None

        names = [p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()]
        return read_dir, names
    with zipfile.ZipFile(path) as z:
        members = {i.filename.split("/", 1)[-1]: z.read(i) for i in z.infolist() if not i.is_dir()}
    return members.get, list(members)


def archive_verify(path: Path, trusted: x509.Certificate | None = None) -> list[str]:
    """Every problem of the archive at `path` (a folder or a .zip): the signature, each file's
    hash, missing and extra files; an empty list when it is intact."""
    try:
        read, names = _open(path)
    except (OSError, zipfile.BadZipFile) as error:
        return [_("Cannot read the archive: %(error)s") % {"error": error}]
    manifest, signature, cert_pem = read(MANIFEST), read(SIGNATURE), read(CERT)
    if manifest is None or signature is None or cert_pem is None:
        return [_("The manifest, its signature or the certificate is missing.")]
    try:
        cert = trusted or _school_certificate(manifest) or x509.load_pem_x509_certificate(cert_pem)
    except ValueError:
        return [_("The certificate is not readable.")]
    problems = []
    reason = signing.verify_detached(manifest, signature, cert)
    if reason:
        problems.append(
            _("The manifest's signature is not valid (%(reason)s).") % {"reason": reason}
        )
    try:
        listed = {f["path"]: f["sha256"] for f in json.loads(manifest)["files"]}
    except (ValueError, KeyError, TypeError):
        return [*problems, _("The manifest is not readable.")]
    for name, expected in sorted(listed.items()):
        content = read(name)
        if content is None:
            problems.append(_("Missing file: %(name)s") % {"name": name})
        elif hashlib.sha256(content).hexdigest() != expected:
            problems.append(_("Changed file: %(name)s") % {"name": name})
    for name in sorted(set(names) - set(listed) - {MANIFEST, SIGNATURE, CERT}):
        problems.append(_("File not in the manifest: %(name)s") % {"name": name})
    return problems


def _school_certificate(manifest: bytes) -> x509.Certificate | None:
    """The certificate of the manifest's school on this installation, if it has one."""
    try:
        school_id = int(json.loads(manifest)["school"]["id"])
    except (ValueError, KeyError, TypeError):
        return None
    return archive_school_certificate(school_id)


def archive_school_certificate(school_id: int) -> x509.Certificate | None:
    """The school's certificate kept on this installation, if any (to check against)."""
    path = signing.key_dir(school_id) / signing.CERT_NAME
    return x509.load_pem_x509_certificate(path.read_bytes()) if path.exists() else None


RETENTION_YEARS = 5  # R5: the journal is kept five years unless the school says otherwise
