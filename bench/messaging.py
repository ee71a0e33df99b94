"""Messaging speed: the inbox page with 1,000 threads in the box, and an announcement to the
families of a 30-student class (60 parents) sent through the page (the e-mail is the worker's).

    uv run python bench/messaging.py [--rounds 100]

`measure()` gives bench/run its two rows on whatever database is configured (it makes the 30
families, the announcing teacher and the 1,000 threads itself and rolls them back). Standalone,
the script runs it on a throw-away SQLite database holding the test world of tests/world.py.
Requests go through Django's test client (middleware, session, templates: all but the socket).
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench._common import percentile, setup_django  # noqa: E402

FAMILIES = 30  # students of the class, each with two parents who have accounts
INBOX = 1000  # threads in the measured parent's inbox


def _fixture() -> dict[str, Any]:
    """What the rows need, made in the configured database (the caller rolls it back): the
    school's class with the most students now, topped up to 30 students, two parents with
    accounts for each, a staff member who announces, and 1,000 threads in one parent's inbox."""
    from django.db.models import Count
    from django.utils import timezone

    from otmetka.access.models import Role, RoleMembership
    from otmetka.access.rules import _current_enrollment
    from otmetka.accounts.models import User
    from otmetka.messaging.models import Message, Participant, Thread
    from otmetka.people.models import Guardian, Student
    from otmetka.school.models import Enrollment, SchoolClass

    current = _current_enrollment("enrollments__")
    school_class = (
        SchoolClass.objects.filter(current)
        .annotate(n=Count("enrollments"))
        .order_by("-n", "pk")
        .first()
    )
    if school_class is None:
        raise RuntimeError("no class with students now: load a dataset first")
    school = school_class.school
    today = timezone.localdate()
    students = list(
        Student.objects.filter(current, enrollments__school_class=school_class).distinct()[
            :FAMILIES
        ]
    )
    for i in range(len(students), FAMILIES):
        pupil = Student.objects.create(school=school, last_name=f"Бенч{i}", first_name="А")
        Enrollment.objects.create(
            school=school, student=pupil, school_class=school_class,
            start=today - datetime.timedelta(days=30),
        )  # fmt: skip
        students.append(pupil)
    parents = User.objects.bulk_create(
        User(username=f"bench-msg-{who}-{s.pk}", last_name=f"Родитель{s.pk}", first_name=who)
        for s in students
        for who in ("мама", "папа")
    )
    Guardian.objects.bulk_create(
        Guardian(school=school, student=students[i // 2], user=parent)
        for i, parent in enumerate(parents)
    )
    author = User.objects.create(username="bench-msg-teacher", last_name="Учитель")
    RoleMembership.objects.create(user=author, school=school, role=Role.TEACHER)
    now = timezone.now()
    reader = parents[0]
    threads = Thread.objects.bulk_create(
        Thread(school=school, subject=f"Сообщение {i}", author=author, created_at=now)
        for i in range(INBOX)
    )
    Message.objects.bulk_create(
        Message(school=school, thread=t, sender=author, body="Текст " * 40, sent_at=now)
        for t in threads
    )
    Participant.objects.bulk_create(
        [Participant(school=school, thread=t, user=reader, last_in_at=now) for t in threads]
        + [Participant(school=school, thread=t, user=author, last_out_at=now) for t in threads]
    )
    return {"class": school_class, "author": author, "reader": reader}


def _measure(action: Any, rounds: int) -> tuple[int, float, float, float, float]:
    """(queries of one run, p50 ms, p95 ms, CPU p50 ms, CPU p95 ms) of `action` over `rounds`
    runs after a warm-up. The CPU time of this process says what a busy machine hides."""
    from django.db import connection

    seen: list[str] = []

    def count(execute: Any, sql: str, *rest: Any) -> Any:
        seen.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(count):
        action()
    times, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return (
        len(seen),
        percentile(times, 50),
        percentile(times, 95),
        percentile(cpu, 50),
        percentile(cpu, 95),
    )


def measure(rounds: int = 200) -> list[dict[str, Any]]:
    """Rows for bench/run's table, measured in this process on the configured database: the
    whole request through Django's test client (middleware, session, templates; no socket).
    Everything it makes is rolled back at the end."""
    from django.conf import settings
    from django.db import transaction
    from django.test import Client

    rows: list[dict[str, Any]] = []
    limit = settings.OTMETKA_MESSAGES_PER_HOUR
    settings.OTMETKA_MESSAGES_PER_HOUR = 10**9
    try:
        with transaction.atomic():
            made = _fixture()
            author, reader = Client(SERVER_NAME="127.0.0.1"), Client(SERVER_NAME="127.0.0.1")
            author.force_login(made["author"])
            reader.force_login(made["reader"])
            group = f"parents:{made['class'].pk}"

            def announce() -> None:
                data = {"groups": [group], "subject": "Собрание", "body": "В четверг в 18:00.",
                        "announcement": "on", "needs_ack": "on"}  # fmt: skip
                response = author.post("/messages/new/", data)
                if response.status_code != 302:
                    raise RuntimeError(f"announcement refused: {response.status_code}")

            def inbox() -> None:
                if reader.get("/messages/").status_code != 200:
                    raise RuntimeError("inbox refused")

            for name, action, target, n in (
                ("announcement send (60 recipients)", announce, "p95 ≤ 50 ms", rounds // 4),
                ("inbox (1,000 messages)", inbox, "p95 ≤ 25 ms", rounds),
            ):
                queries, p50, p95, cpu50, cpu95 = _measure(action, max(n, 5))
                rows.append(
                    {"name": name, "p50": p50, "p95": p95, "queries": queries,
                     "floor_p50": None, "target": target, "cpu_p50": cpu50, "cpu_p95": cpu95}
                )  # fmt: skip
            transaction.set_rollback(True)
    finally:
        settings.OTMETKA_MESSAGES_PER_HOUR = limit
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    setup_django(tempfile.mkdtemp(prefix="otmetka-bench-msg-"))
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from tests.world import build_world

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    call_command("migrate", verbosity=0)
    build_world()
    load = os.getloadavg()[0]
    print(f"{connection.vendor}, {args.rounds} rounds, load average {load:.1f}, the whole request")
    print("| request | queries | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms | target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for r in measure(args.rounds):
        print(
            f"| {r['name']} | {r['queries']} | {r['p50']:.1f} | {r['p95']:.1f} "
            f"| {r['cpu_p50']:.1f} | {r['cpu_p95']:.1f} | {r['target']} |"
        )


if __name__ == "__main__":
    main()
