"""The ЭлЖур client written from the reference (tests/api/eljur_client.py) against `otmetka
serve` on a free port, over real HTTP: it signs in, reads rules, periods, a week's diary, marks
and messages, and replies to a teacher's message."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.api.eljur_client import Eljur, EljurError
from tests.demo.test_serve import OTMETKA, free_port
from tests.world import PASSWORD

SEED = """
import django, time_machine
django.setup()
from tests.conftest import TODAY
with time_machine.travel(TODAY, tick=False):
    from tests.world import build_world
    from tests.diary.helpers import diary_world
    from otmetka.messaging import services
    w = build_world()
    diary_world(w)
    services.thread_start(actor=w.user("teacher_7a_math"), school=w.school,
        subject="Контрольная", body="В четверг контрольная работа.",
        user_ids=[w.user("guardian_7a").pk])
    print(w.pupil_7a.pk, w.school.pk)
"""
ALLOW_WRITING = """
import django
django.setup()
from otmetka.accounts.models import ApiToken
ApiToken.objects.filter(user__username="parent7a").update(writable=True)
"""


@pytest.fixture
def server(tmp_path: Path) -> object:
    env = {
        **os.environ,
        "OTMETKA_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "otmetka.config.settings",
        "PYTHONPATH": str(Path(__file__).parents[2]),
    }
    subprocess.run([*OTMETKA, "migrate", "-v0"], env=env, check=True, timeout=300)
    seeded = subprocess.run(
        [sys.executable, "-c", SEED], env=env, check=True, timeout=300, capture_output=True,
        text=True,
    )  # fmt: skip
    port = free_port()
    process = subprocess.Popen(
        [*OTMETKA, "serve", "--port", str(port), "--workers", "1"],
        env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    watchdog = threading.Timer(300, process.kill)
    watchdog.start()
    try:
        log = ""
        assert process.stderr is not None
        for line in process.stderr:
            log += line
            if "Booting worker" in line:
                break
        assert f"Listening at: http://127.0.0.1:{port}" in log, log
        pupil, school = seeded.stdout.split()
        yield {"base": f"http://127.0.0.1:{port}", "pupil": pupil, "school": school, "env": env}
    finally:
        watchdog.cancel()
        process.terminate()
        process.wait(timeout=60)


def test_a_client_from_the_reference_reads_the_diary_and_replies(server: dict) -> None:
    # The school's «vendor» is its number (as «Мои устройства» shows it).
    client = Eljur(server["base"], vendor=server["school"], devkey="0" * 32)
    with pytest.raises(EljurError, match="400"):
        client.auth("parent7a", "не тот пароль")
    expires = client.auth("parent7a", PASSWORD)
    assert len(expires) == 19
    rules = client.rules()
    assert rules["roles"] == ["parent"]
    pupil = server["pupil"]
    assert rules["relations"]["students"][pupil]["title"] == "Иванов Иван"
    periods = client.periods(pupil)
    second = next(p for p in periods if p["start"] <= "20261116" <= p["end"])
    days = client.diary(pupil, "20261116", "20261122")
    lesson = days["20261116"]["items"]["1"]
    assert lesson["topic"] == "Тема 1" and lesson["starttime"] == "08:00:00"
    assert [a["value"] for a in lesson["assessments"]] == ["4"]
    marks = client.marks(pupil, second["start"], second["end"])
    assert [m["value"] for s in marks for m in s["marks"]] == ["4", "5"]
    (inbox,) = client.messages()
    assert inbox["subject"] == "Контрольная" and inbox["unread"] is True
    message = client.message(inbox["id"])
    assert message["text"] == "В четверг контрольная работа."
    with pytest.raises(EljurError, match="403"):  # a parent's device reads until allowed
        client.reply(inbox["id"], "Спасибо, готовимся.")
    subprocess.run([sys.executable, "-c", ALLOW_WRITING], env=server["env"], check=True)
    client.reply(inbox["id"], "Спасибо, готовимся.")
    assert client.message(inbox["id"])["messages"][-1]["text"] == "Спасибо, готовимся."
