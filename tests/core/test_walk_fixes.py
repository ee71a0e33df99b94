"""Fixes of the walk through every role (issue 15) outside the browser: the error pages, the
site's icon, a 403 without a traceback in the log, the command line's language, the demo's
login notice and the status page."""

import datetime
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from otmetka.cli import cli_language
from otmetka.core.health import backup_done, worker_beat
from otmetka.setup.status import system_status
from tests.world import World

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_russian_in_the_sites_layout(
    world: World, client_for: Callable[[str], Client]
) -> None:
    response = client_for("nurse").get("/no/such/page/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Страница не найдена</h1>" in text
    assert 'class="brand"' in text and "На главную" in text
    assert "Not Found" not in text


def test_a_read_only_page_is_a_russian_403_with_a_way_back_and_no_traceback_logged(
    world: World, client_for: Callable[[str], Client], caplog: pytest.LogCaptureFixture
) -> None:
    from otmetka.core.logging import QuietForbidden

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_for("director").get(
            "/setup/class/new/", HTTP_REFERER="http://testserver/setup/class/"
        )
    text = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Нет доступа</h1>" in text and 'href="/setup/class/"' in text
    records = [r for r in caplog.records if getattr(r, "status_code", None) == 403]
    # One line logged; the traceback Django attaches is dropped by the installation's handler.
    assert records and all(r.exc_info is None and r.exc_text is None for r in records)
    try:
        raise PermissionError("denied")
    except PermissionError:
        record = logging.LogRecord("django.request", 30, "", 0, "Forbidden", (), sys.exc_info())
    record.status_code = 403
    assert QuietForbidden().filter(record) and record.exc_info is None


def test_a_back_link_never_leads_to_another_site(
    world: World, client_for: Callable[[str], Client]
) -> None:
    response = client_for("director").get(
        "/setup/class/new/", HTTP_REFERER="https://evil.example/phish"
    )
    assert "evil.example" not in response.content.decode()


def test_a_server_error_page_is_russian(rf: object) -> None:
    from otmetka.home.errors import server_error

    response = server_error(rf.get("/"))  # type: ignore[attr-defined]
    assert response.status_code == 500
    assert "Что-то пошло не так" in response.content.decode()


def test_the_site_icon_is_served(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # type: ignore[attr-defined]
    assert "max-age" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "ru"),
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "ru"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "ru_RU.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
    ],
)
def test_the_command_line_speaks_the_terminals_language(
    environ: dict[str, str], language: str
) -> None:
    assert cli_language(environ) == language


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("ru_RU.UTF-8", "создать правдоподобную демонстрационную школу"),
     ("en_US.UTF-8", "create a realistic demo school")],
)  # fmt: skip
def test_the_demo_commands_help_is_russian_or_english(
    lang: str, expected: str, tmp_path: Path
) -> None:
    env = {**os.environ, "LANG": lang, "OTMETKA_DATA_DIR": str(tmp_path)}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    out = subprocess.run(
        [sys.executable, "-m", "otmetka", "demo", "--help"],
        env=env, capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    assert expected in " ".join(out.split())


def test_a_demo_installations_login_page_says_its_passwords_stay(
    client: Client, settings: object
) -> None:
    assert "демонстрационная установка" not in client.get("/accounts/login/").content.decode()
    settings.OTMETKA_DEMO = True  # type: ignore[attr-defined]
    assert "не требуется менять" in client.get("/accounts/login/").content.decode()


# --- the status page ----------------------------------------------------------------------------


def test_the_status_page_shows_each_part_and_the_support_link(
    world: World, client_for: Callable[[str], Client], settings: object, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    settings.OTMETKA_WORKER_HEARTBEAT = tmp_path / "worker.heartbeat"  # type: ignore[attr-defined]
    settings.OTMETKA_SUPPORT_URL = "mailto:help@example.org"  # type: ignore[attr-defined]
    text = client_for("admin").get("/setup/status/").content.decode()
    for part in ("База данных", "Фоновые задачи", "Электронная почта", "Диск", "Резервная копия"):
        assert part in text
    assert "Ни разу не запускались" in text and "Резервных копий нет" in text
    assert 'href="mailto:help@example.org"' in text
    worker_beat()
    backup_done()
    states = {c.name: c.state for c in system_status()}
    assert states["Фоновые задачи"] == "ok" and states["Резервная копия"] == "ok"
    assert states["База данных"] == "ok"


def test_a_silent_worker_and_an_old_backup_are_flagged(settings: object, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    beat = tmp_path / "worker.heartbeat"
    settings.OTMETKA_WORKER_HEARTBEAT = beat  # type: ignore[attr-defined]
    worker_beat()
    backup_done()
    old = (datetime.datetime.now() - datetime.timedelta(days=3)).timestamp()
    os.utime(beat, (old, old))
    os.utime(tmp_path / "backup.last", (old, old))
    checks = {c.name: c for c in system_status()}
    assert checks["Фоновые задачи"].state == "bad"
    assert "3 дня назад" in checks["Фоновые задачи"].detail
    assert checks["Резервная копия"].state == "warn"


def test_a_smtp_server_that_does_not_answer_is_a_fault(settings: object) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # type: ignore[attr-defined]
    checks = {c.name: c for c in system_status()}
    assert checks["Электронная почта"].state == "bad"


# --- pages of the walk ----------------------------------------------------------------------------


def test_the_teachers_home_puts_todays_lessons_before_the_load_table(
    world: World, client_for: Callable[[str], Client]
) -> None:
    text = client_for("teacher_7a_math").get("/").content.decode()
    assert text.index("Уроки сегодня") < text.index("Мои классы и предметы")


def test_the_timetables_room_fields_are_wide_and_cells_link_their_lessons(
    world: World, client_for: Callable[[str], Client]
) -> None:
    from otmetka.curriculum.models import TimetableSlot
    from otmetka.journal.models import Lesson
    from otmetka.school.models import Bell

    bell = Bell.objects.create(
        school=world.school, number=1, start=datetime.time(8, 30), end=datetime.time(9, 10)
    )
    TimetableSlot.objects.create(
        school=world.school, course=world.course_7a_math, weekday=2, bell=bell, room="214",
        valid_from=datetime.date(2026, 9, 1),
    )  # fmt: skip
    lesson = Lesson.objects.create(
        school=world.school, course=world.course_7a_math, date=datetime.date(2026, 11, 18),
        bell_number=1,
    )  # fmt: skip
    url = f"/curriculum/timetable/{world.class_7a.pk}/?on=2026-11-18"
    text = client_for("deputy").get(url).content.decode()
    assert 'type="text" class="room-input"' in text and 'value="214" maxlength="30"' in text
    assert f'href="/journal/lessons/{lesson.pk}/">урок 18.11' in text
    assert "/journal/lessons/" not in client_for("teacher_7a_math").get(url).content.decode()


def test_ktp_rows_delete_is_a_secondary_danger_button(
    world: World, client_for: Callable[[str], Client]
) -> None:
    from otmetka.curriculum.models import PlannedTopic, ThematicPlan

    plan = ThematicPlan.objects.create(school=world.school, course=world.course_7a_math)
    PlannedTopic.objects.create(school=world.school, plan=plan, position=1, title="Дроби")
    text = client_for("teacher_7a_math").get(f"/curriculum/ktp/{world.course_7a_math.pk}/")
    html = text.content.decode()
    assert 'class="btn secondary danger">Удалить</button>' in html
