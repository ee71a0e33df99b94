"""Homework files in a real browser: the teacher attaches a file in the lesson panel and
downloads it from the panel's link (the same bytes, its Cyrillic name); a web page disguised as
a PDF is refused with the Russian message."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from otmetka.journal.models import HomeworkFile
from tests.journal_ui.conftest import JournalWorld
from tests.journal_ui.test_grid_browser import _log_in, _open_grid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) + b"\n%%EOF\n"


def _attach(page: Any, name: str, content: bytes, mime: str) -> None:
    page.locator("button.lesson-head[data-c='2']").click()
    page.set_input_files(
        "#lesson-file", files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    page.click(".lesson-panel button[type=submit]")


def test_teacher_attaches_a_file_and_downloads_the_same_bytes(
    page: Any, live_server: Any, journal: JournalWorld, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    _log_in(page, live_server.url, "math7a")
    _open_grid(page, live_server.url, journal.world.course_7a_math.pk)
    _attach(page, "Задание на дом.pdf", PDF, "application/pdf")
    expect(page.locator(".lesson-panel")).to_be_hidden()
    _open_grid(page, live_server.url, journal.world.course_7a_math.pk)
    page.locator("button.lesson-head[data-c='2']").click()
    link = page.locator(".lesson-files a")
    expect(link).to_have_text("Задание на дом.pdf")
    expect(link).to_have_attribute("href", f"/journal/files/{HomeworkFile.objects.get().pk}/")
    with page.expect_download() as caught:
        link.click()
    download = caught.value
    assert download.suggested_filename == "Задание на дом.pdf"
    assert Path(download.path()).read_bytes() == PDF


def test_a_web_page_named_pdf_is_refused_in_the_panel(
    page: Any, live_server: Any, journal: JournalWorld, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    _log_in(page, live_server.url, "math7a")
    _open_grid(page, live_server.url, journal.world.course_7a_math.pk)
    _attach(page, "дз.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    expect(page.locator(".lesson-error")).to_have_text(
        "Содержимое файла не соответствует его расширению «.pdf»."
    )
    assert not HomeworkFile.objects.exists()
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.pdf"))
