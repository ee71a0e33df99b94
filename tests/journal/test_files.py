"""Homework files over real HTTP: the content is sniffed on upload, the download goes through
the access-checked view as an attachment; homework text has a size limit and one audit copy."""

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from otmetka.audit.models import Event
from otmetka.journal import services
from otmetka.journal.models import HomeworkFile, Lesson
from tests.journal.helpers import TODAY, lesson_on
from tests.world import World

Clients = Callable[[str | None], Client]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes() -> bytes:
    """A minimal Office Open XML document, parts in Word's order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def lesson(world: World) -> Lesson:
    return lesson_on(world.course_7a_math, TODAY)


def _upload(client: Client, lesson: Lesson, name: str, content: bytes) -> object:
    url = f"/api/v1/lessons/{lesson.pk}/files"
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


def test_uploader_downloads_the_file_as_an_attachment_of_its_sniffed_type(
    world: World, client_for: Clients, media: Path, lesson: Lesson
) -> None:
    client = client_for("teacher_7a_math")
    body = _upload(client, lesson, "Задание по дробям.pdf", PDF).json()
    url = body["files"][0]["url"]
    assert url == f"/journal/files/{HomeworkFile.objects.get().pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%D0%97%D0%B0%D0%B4%D0%B0%D0%BD%D0%B8%D0%B5" in disposition


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("homeroom_7a", 200),
        ("director", 200),
        ("student_7a", 200),
        ("guardian_7a", 200),
        ("teacher_7b", 404),
        ("student_7b", 404),
        ("nurse", 404),
        ("teacher_other_school", 404),
        ("region_viewer", 404),
        ("outsider", 404),
        (None, 302),
    ],
)
def test_readers_of_the_lesson_download_and_others_get_404(
    world: World, client_for: Clients, media: Path, lesson: Lesson, persona: str, status: int
) -> None:
    _upload(client_for("teacher_7a_math"), lesson, "дз.png", PNG)
    response = client_for(persona).get(f"/journal/files/{HomeworkFile.objects.get().pk}/")
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Type"] == "image/png"


def test_a_missing_file_and_a_file_gone_from_disk_are_404(
    world: World, client_for: Clients, media: Path, lesson: Lesson
) -> None:
    client = client_for("teacher_7a_math")
    assert client.get("/journal/files/999999/").status_code == 404
    _upload(client, lesson, "дз.pdf", PDF)
    for path in _stored(media):
        path.unlink()
    assert client.get(f"/journal/files/{HomeworkFile.objects.get().pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("дз.pdf", b"<html><script>alert(1)</script></html>", "Содержимое файла не соответствует"),
        ("дз.png", PDF, "Содержимое файла не соответствует"),
        ("дз.docx", b"PK..not a zip", "Содержимое файла не соответствует"),
        ("дз.jpg", PNG, "Содержимое файла не соответствует"),
        ("дз.txt", "Задание".encode("cp1251"), "Файл «.txt» — не простой текст"),
        ("дз.txt", b"text\x00with NUL", "Файл «.txt» — не простой текст"),
        ("дз.txt", b"  <!DOCTYPE html><p>hi", "Файл «.txt» — не простой текст"),
        ("дз.txt", PDF, "Файл «.txt» — не простой текст"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused_and_nothing_is_written(
    world: World, client_for: Clients, media: Path, lesson: Lesson, name: str, content: bytes,
    message: str,
) -> None:  # fmt: skip
    events = Event.objects.count()
    response = _upload(client_for("teacher_7a_math"), lesson, name, content)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(message)
    assert not HomeworkFile.objects.exists() and Event.objects.count() == events
    assert _stored(media) == []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("дз.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument"),
        ("дз.txt", "\ufeffПрочитать § 5, решить № 12.\n".encode(), "text/plain; charset=utf-8"),
        ("дз.pdf", b"\xef\xbb\xbf" + PDF, "application/pdf"),
    ],
)
def test_real_documents_and_plain_text_are_accepted(
    world: World, client_for: Clients, media: Path, lesson: Lesson, name: str, content: bytes,
    content_type: str,
) -> None:  # fmt: skip
    client = client_for("teacher_7a_math")
    assert _upload(client, lesson, name, content).status_code == 200
    response = client.get(f"/journal/files/{HomeworkFile.objects.get().pk}/")
    assert response["Content-Type"].startswith(content_type)
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize(
    ("accel", "header", "value"),
    [("nginx", "X-Accel-Redirect", "/protected-media/homework/"), ("apache", "X-Sendfile", "/")],
)
def test_the_web_server_sends_the_file_when_configured(
    world: World, client_for: Clients, media: Path, lesson: Lesson, settings: object,
    accel: str, header: str, value: str,
) -> None:  # fmt: skip
    client = client_for("teacher_7a_math")
    _upload(client, lesson, "дз.pdf", PDF)
    settings.OTMETKA_FILE_ACCEL = accel
    response = client.get(f"/journal/files/{HomeworkFile.objects.get().pk}/")
    assert response.status_code == 200 and response.content == b""
    assert response[header].startswith(value) and response[header].endswith(".pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    if accel == "apache":
        assert Path(response[header]).read_bytes() == PDF
    refused = client_for("teacher_7b").get(f"/journal/files/{HomeworkFile.objects.get().pk}/")
    assert refused.status_code == 404 and header not in refused


def test_homework_over_5000_characters_is_refused_and_nothing_is_written(
    world: World, client_for: Clients, lesson: Lesson
) -> None:
    events = Event.objects.count()
    response = client_for("teacher_7a_math").patch(
        f"/api/v1/lessons/{lesson.pk}",
        json.dumps({"homework": "я" * 5001}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Домашнее задание длиннее 5000 символов."}
    lesson.refresh_from_db()
    assert lesson.homework == "" and Event.objects.count() == events


def test_the_lesson_event_stores_the_homework_text_once(world: World, lesson: Lesson) -> None:
    teacher = world.user("teacher_7a_math")
    text = "Прочитать параграф пять и решить задачи " * 100
    services.lesson_update(actor=teacher, lesson=lesson, homework=text)
    services.lesson_update(actor=teacher, lesson=lesson, topic="Дроби")
    first, second = Event.objects.filter(action="lesson_update").order_by("id")
    stored = json.dumps([second.before, second.after], ensure_ascii=False)
    assert stored.count(text.strip()) == 1
    assert "homework" not in second.before and second.before["topic"] == ""
    assert second.after["topic"] == "Дроби"
    assert json.dumps([first.before, first.after], ensure_ascii=False).count(text.strip()) == 1
