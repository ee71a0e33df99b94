"""The signed year archive: built, verified, and every kind of tampering caught."""

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from otmetka.archive import signing
from otmetka.archive.models import Archive
from otmetka.archive.services import archive_create, archive_verify
from otmetka.audit.models import Event
from tests.archive.pdftext import pdf_text
from tests.world import World


@pytest.fixture
def built(journal_world: World) -> Archive:
    return archive_create(actor=journal_world.user("director"), year=journal_world.year)


def test_archive_holds_journals_gradesheets_records_and_a_signed_manifest(
    built: Archive, journal_world: World, data_dir: Path
) -> None:
    folder = Path(built.path)
    assert folder.parent == data_dir / "archive" / f"school-{journal_world.school.pk}"
    manifest = json.loads((folder / "manifest.json").read_text())
    paths = {f["path"] for f in manifest["files"]}
    assert f"journals/7А-{journal_world.class_7a.pk}.pdf" in paths
    assert f"gradesheets/7А-{journal_world.class_7a.pk}-year.xlsx" in paths
    assert f"records/Иванов-{journal_world.pupil_7a.pk}.json" in paths
    cards = folder / "records" / f"7А-{journal_world.class_7a.pk}.pdf"
    assert "Личная карточка — успеваемость: Иванов Иван Иванович" in pdf_text(cards.read_bytes())
    assert manifest["created_by"] == "Лункина Ольга Леонидовна"
    assert (folder / "manifest.json.p7s").stat().st_size > 100
    assert archive_verify(folder) == []
    assert archive_verify(folder.with_suffix(".zip")) == []
    event = Event.objects.get(action="archive_create")
    assert event.actor == journal_world.user("director") and event.object_id == str(built.pk)
    key = data_dir / "keys" / f"school-{journal_world.school.pk}" / "school.key"
    assert key.stat().st_mode & 0o777 == 0o600


def test_one_changed_byte_in_one_pdf_is_named(built: Archive) -> None:
    folder = Path(built.path)
    target = next((folder / "journals").glob("*.pdf"))
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 1
    target.write_bytes(bytes(data))
    assert archive_verify(folder) == [f"Изменён файл: journals/{target.name}"]


def test_a_changed_manifest_fails_the_signature(built: Archive) -> None:
    folder = Path(built.path)
    manifest = folder / "manifest.json"
    manifest.write_bytes(
        manifest.read_bytes().replace(b'"year": "2026/2027"', b'"year": "2025/2026"')
    )
    problems = archive_verify(folder)
    assert len(problems) == 1 and problems[0].startswith("Подпись манифеста недействительна")


def test_missing_and_extra_files_are_named(built: Archive) -> None:
    folder = Path(built.path)
    record = next((folder / "records").glob("*.json"))
    shutil.move(record, folder / "extra.json")
    assert archive_verify(folder) == [
        f"Нет файла: records/{record.name}",
        "Файл не указан в манифесте: extra.json",
    ]


def test_a_tampered_zip_is_caught(built: Archive, journal_world: World) -> None:
    source = Path(built.path).with_suffix(".zip")
    tampered = source.with_name("tampered.zip")
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(tampered, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.endswith(f"7А-{journal_world.class_7a.pk}-year.xlsx"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            new.writestr(info, data)
    (problem,) = archive_verify(tampered)
    assert problem.startswith("Изменён файл: gradesheets/") and problem.endswith("-year.xlsx")


def test_command_builds_and_verifies(journal_world: World, capsys: pytest.CaptureFixture) -> None:
    call_command("archive", "2026/2027", "--school", str(journal_world.school.pk))
    archive = Archive.objects.get()
    assert archive.created_by is None and archive.year == journal_world.year
    call_command("archive", "--verify", archive.path, "--school", str(journal_world.school.pk))
    assert "не повреждён" in capsys.readouterr().out
    # Signed again by another key, with its certificate beside: this school's key says no.
    folder = Path(archive.path)
    key, cert = signing.school_keys(9999, "Чужая школа")
    (folder / "manifest.json.p7s").write_bytes(
        signing.sign_detached((folder / "manifest.json").read_bytes(), key, cert)
    )
    (folder / "school.crt").write_bytes(cert.public_bytes(signing.serialization.Encoding.PEM))
    with pytest.raises(CommandError):
        call_command("archive", "--verify", archive.path)
    assert "подписан другим сертификатом" in capsys.readouterr().err


def test_command_refuses_an_unknown_year(world: World) -> None:
    with pytest.raises(CommandError):
        call_command("archive", "1999/2000")
