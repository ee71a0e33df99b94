"""Messaging speed: the inbox page with 1,000 threads in the box, and an announcement to the
families of a 30-student class (60 parents) sent through the page (the e-mail is the worker's).

    uv run python bench/messaging.py [--rounds 50]

Runs on a throw-away SQLite database (the test world of tests/world.py plus 30 families and
1,000 threads), through Django's test client (middleware, session, templates: the whole request
but the socket). Prints the queries of each page and p50/p95 in milliseconds.
"""

import argparse
import datetime
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench._common import percentile, setup_django  # noqa: E402


def _families(world: object, n: int) -> None:
    """`n` students in 7А, each with two parents who have accounts."""
    from otmetka.accounts.models import User
    from otmetka.people.models import Guardian, Student
    from otmetka.school.models import Enrollment

    for i in range(n):
        pupil = Student.objects.create(school=world.school, last_name=f"Ученик{i}", first_name="А")
        Enrollment.objects.create(
            school=world.school, student=pupil, school_class=world.class_7a,
            start=datetime.date(2026, 9, 1),
        )  # fmt: skip
        for who in ("mother", "father"):
            parent = User.objects.create(username=f"{who}{i}", last_name=f"Родитель{i}")
            Guardian.objects.create(school=world.school, student=pupil, user=parent)


def _inbox(world: object, n: int) -> None:
    """`n` threads from the 7А maths teacher to the 7А parent, written in bulk."""
    from django.utils import timezone

    from otmetka.messaging.models import Message, Participant, Thread

    now = timezone.now()
    teacher, parent = world.user("teacher_7a_math"), world.user("guardian_7a")
    threads = Thread.objects.bulk_create(
        Thread(school=world.school, subject=f"Сообщение {i}", author=teacher, created_at=now)
        for i in range(n)
    )
    Message.objects.bulk_create(
        Message(school=world.school, thread=t, sender=teacher, body="Текст " * 40, sent_at=now)
        for t in threads
    )
    Participant.objects.bulk_create(
        [Participant(school=world.school, thread=t, user=parent, last_in_at=now) for t in threads]
        + [Participant(school=world.school, thread=t, user=teacher, last_out_at=now)
           for t in threads]
    )  # fmt: skip


def _measure(action: object, rounds: int) -> tuple[int, float, float]:
    """(queries of one run, p50 ms, p95 ms) of `action` over `rounds` runs after a warm-up."""
    from django.db import connection

    seen: list[str] = []

    def count(execute: object, sql: str, *rest: object) -> object:
        seen.append(sql)
        return execute(sql, *rest)  # type: ignore[operator]

    with connection.execute_wrapper(count):
        action()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return len(seen), percentile(times, 50), percentile(times, 95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    setup_django(tempfile.mkdtemp(prefix="otmetka-bench-msg-"))
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from tests.world import build_world

    settings.OTMETKA_MESSAGES_PER_HOUR = 10**6
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    world = build_world()
    _families(world, 30)
    _inbox(world, 1000)
    parent, homeroom = Client(), Client()
    parent.force_login(world.user("guardian_7a"))
    homeroom.force_login(world.user("homeroom_7a"))
    group = f"parents:{world.class_7a.pk}"

    def inbox() -> None:
        assert parent.get("/messages/").status_code == 200

    def announce() -> None:
        data = {"groups": [group], "subject": "Собрание", "body": "В четверг в 18:00.",
                "announcement": "on", "needs_ack": "on"}  # fmt: skip
        assert homeroom.post("/messages/new/", data).status_code == 302

    print(f"SQLite, {args.rounds} rounds, the whole request through Django's test client")
    print("| page | queries | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for name, action in (
        ("inbox, 1,000 threads in the box", inbox),
        ("announcement to 7А parents (61 recipients)", announce),
    ):
        queries, p50, p95 = _measure(action, args.rounds)
        print(f"| {name} | {queries} | {p50:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
