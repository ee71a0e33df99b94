"""Request size over real HTTP: an oversized body gets 413 and an anonymous upload 401 or the
login page, both before a byte of the body is read (nothing spooled to the temp directory)."""

import http.client
import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.world import World

pytestmark = pytest.mark.django_db(transaction=True)

DECLARED = 300 * 1024 * 1024
BOUNDARY = "otmetka-boundary"
# The start of a multipart body with a file part, and 64 KB of the file: past the spooling
# threshold the test sets, so a server that parsed it would have opened a temp file by now.
PREAMBLE = (
    (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    + b"%PDF-1.4\n"
    + b"0" * 65536
)


@pytest.fixture
def temp_dir(settings: Any, tmp_path: Path) -> Path:
    """Uploads would be spooled here (from the first kilobyte on)."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    return tmp_path


def _send(
    live_server: Any,
    path: str,
    *,
    content_type: str = f"multipart/form-data; boundary={BOUNDARY}",
    cookie: str = "",
) -> tuple[int, dict[str, str], bytes]:
    """POST declaring a 300 MB body but sending only its first 64 KB; the answer must come
    without the rest (the socket timeout only turns a hung server into a failure)."""
    url = urlsplit(live_server.url)
    sock = socket.create_connection((url.hostname, url.port), timeout=20)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {url.hostname}:{url.port}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {DECLARED}\r\n"
        + (f"Cookie: {cookie}\r\n" if cookie else "")
        + "\r\n"
    )
    try:
        sock.sendall(head.encode() + PREAMBLE)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        sock.close()


def _session_cookie(world: World, persona: str) -> str:
    client = Client()
    client.force_login(world.user(persona))
    return f"sessionid={client.cookies['sessionid'].value}"


def test_anonymous_upload_to_the_api_gets_401_before_the_body_is_read(
    live_server: Any, world: World, temp_dir: Path
) -> None:
    lesson_url = f"/api/v1/lessons/{world.course_7a_math.pk}/files"
    status, _headers, body = _send(live_server, lesson_url)
    assert status == 401
    assert json.loads(body) == {"detail": "Сначала войдите в систему."}
    assert list(temp_dir.iterdir()) == []


def test_anonymous_upload_to_a_page_is_sent_to_the_login_page_before_the_body_is_read(
    live_server: Any, world: World, temp_dir: Path
) -> None:
    ktp = f"/curriculum/ktp/{world.course_7a_math.pk}/"
    status, headers, _body = _send(live_server, ktp)
    assert status == 302 and headers["Location"].startswith("/accounts/login/?next=")
    assert list(temp_dir.iterdir()) == []


def test_a_body_over_the_upload_limit_gets_413_even_for_a_logged_in_teacher(
    live_server: Any, world: World, temp_dir: Path
) -> None:
    cookie = _session_cookie(world, "teacher_7a_math")
    ktp = f"/curriculum/ktp/{world.course_7a_math.pk}/"
    status, _headers, body = _send(live_server, ktp, cookie=cookie)
    assert status == 413
    assert body.decode() == "Слишком большой запрос: не более 20 МБ."
    assert list(temp_dir.iterdir()) == []
    status, _headers, _body = _send(live_server, "/api/v1/lessons/1", content_type="text/json")
    assert status == 413


def test_a_forged_session_cookie_counts_as_anonymous(
    live_server: Any, world: World, temp_dir: Path
) -> None:
    status, _headers, _body = _send(
        live_server, "/api/v1/lessons/1/files", cookie="sessionid=forged0123456789abcdef"
    )
    assert status == 401
    assert list(temp_dir.iterdir()) == []


def test_a_logged_in_upload_within_the_limit_still_works(
    world: World, client_for: Callable[[str | None], Client], settings: Any, tmp_path: Path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.journal.helpers import TODAY, lesson_on

    settings.MEDIA_ROOT = str(tmp_path)
    lesson = lesson_on(world.course_7a_math, TODAY)
    response = client_for("teacher_7a_math").post(
        f"/api/v1/lessons/{lesson.pk}/files",
        {"file": SimpleUploadedFile("дз.pdf", b"%PDF-1.4\n")},
    )
    assert response.status_code == 200
    anonymous = client_for(None).post(
        f"/api/v1/lessons/{lesson.pk}/files",
        {"file": SimpleUploadedFile("дз.pdf", b"%PDF-1.4\n")},
    )
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("limit_request_line", 4094),
        ("limit_request_fields", 50),
        ("limit_request_field_size", 8190),
    ],
)
def test_serve_sets_gunicorn_limits_on_the_request_head(option: str, value: int) -> None:
    from otmetka.core.management.commands.serve import gunicorn_options

    assert gunicorn_options(host="127.0.0.1", port=8000, workers=1, threads=1)[option] == value
