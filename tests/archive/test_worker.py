"""The director's «Сделать архив» queues the archive; a real worker run (`otmetka worker
--batch`) builds it; the list shows the state and progress, the .zip verifies."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from otmetka.archive.models import Archive
from otmetka.archive.services import archive_verify
from otmetka.audit.models import Event
from tests.world import World

# A real worker run closes its connection between tasks: the test commits for real (as
# tests/messaging/test_mail.py does).
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_button_queues_and_the_worker_builds_a_verifiable_archive(
    journal_world: World, client_for: Callable[[str], Client]
) -> None:
    director = client_for("director")
    response = director.post("/archive/make/", {"year": journal_world.year.pk}, follow=True)
    page = response.content.decode()
    assert "Архив 2026/2027 поставлен в очередь" in page
    archive = Archive.objects.get()
    assert archive.state == Archive.State.QUEUED
    assert archive.created_by == journal_world.user("director")
    assert "в очереди" in page and 'http-equiv="refresh"' in page
    assert ".zip</a>" not in page
    assert client_for("deputy").get(f"/archive/{archive.pk}/zip/").status_code == 404
    again = director.post("/archive/make/", {"year": journal_world.year.pk}, follow=True)
    assert "Архив 2026/2027 уже строится." in again.content.decode()
    assert Archive.objects.count() == 1

    call_command("worker", "--batch", verbosity=0)

    archive.refresh_from_db()
    assert archive.state == Archive.State.READY
    assert archive.done == archive.total == archive.files > 3
    assert archive_verify(Path(archive.path).with_suffix(".zip")) == []
    assert Event.objects.filter(action="archive_queue").count() == 1
    event = Event.objects.get(action="archive_create")
    assert event.actor == journal_world.user("director")
    page = client_for("deputy").get("/archive/").content.decode()
    assert "готов" in page and 'http-equiv="refresh"' not in page
    assert "Лункина Ольга Леонидовна" in page and "2032" in page  # kept 5 years after 2027
    assert "Сделать архив" not in page  # the deputy reads, the director makes
    download = client_for("deputy").get(f"/archive/{archive.pk}/zip/")
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_a_failed_build_is_shown_not_lost(
    journal_world: World, client_for: Callable[[str], Client], settings: Any, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.DATA_DIR = blocker  # the archive folder cannot be made under a file
    client_for("director").post("/archive/make/", {"year": journal_world.year.pk})
    call_command("worker", "--batch", verbosity=0)
    archive = Archive.objects.get()
    assert archive.state == Archive.State.FAILED
    assert "NotADirectoryError" in archive.error or "FileExistsError" in archive.error
    page = client_for("director").get("/archive/").content.decode()
    assert re.search(r"ошибка<br><small>\w+Error", page)
    assert Event.objects.filter(action="archive_fail").count() == 1
    again = client_for("director").post("/archive/make/", {"year": journal_world.year.pk})
    assert again.status_code == 302 and Archive.objects.count() == 2  # a new try is allowed


def test_the_command_prints_a_progress_line(
    journal_world: World, capsys: pytest.CaptureFixture
) -> None:
    call_command("archive", "2026/2027", "--school", str(journal_world.school.pk))
    err = capsys.readouterr().err
    assert re.search(r"Журнал 7А записан\. Файлов: 1 из \d+\.", err)
    assert Archive.objects.get().state == Archive.State.READY
