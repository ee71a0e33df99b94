"""EXPLAIN (ANALYZE, BUFFERS) of the hot queries on a loaded PostgreSQL database
(docs/benchmarks.md).

    DATABASE_URL=postgres://…/otm_school_s uv run python bench/explain.py [--out plans.md]

On the dataset loaded by `otmetka dataset` (clock at bench/run's NOW) it makes bench/run's
requests through Django's test client — the grid JSON of the measured journal, one mark saved
to its sibling, a student's diary week — captures their SQL and prints the plan of each query
that reads or writes the journal's big tables (lessons, marks, absences), each run twice (the
second, warm, is shown) inside a transaction that is rolled back.
"""

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import NOW, pick, setup_django

BIG = ("journal_lesson", "journal_mark", "journal_absence", "audit_")


def _captured(client: Any, method: str, url: str, body: bytes | None = None) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return [q["sql"] for q in captured.captured_queries]


def _plan(sql: str) -> str:
    from django.db import connection, transaction

    lines: list[str] = []
    for _ in range(2):  # the second run is warm (cache, plan of a pooled connection)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                lines = [row[0] for row in cursor.fetchall()]
            transaction.set_rollback(True)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="also write the Markdown here")
    args = parser.parse_args()
    import time_machine

    setup_django()
    time_machine.travel(NOW, tick=True).start()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from otmetka.people.models import Student

    assert connection.vendor == "postgresql", "EXPLAIN (ANALYZE, BUFFERS) is PostgreSQL's"
    read, write = pick(timezone.localdate())
    teacher, writer = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    teacher.force_login(read.teacher)
    writer.force_login(write.teacher)
    lesson, student = write.held[-1], write.students[0]
    pupil = Student.objects.filter(user__isnull=False, school_id=read.course.school_id).first()
    assert pupil is not None
    type(pupil.user).objects.filter(pk=pupil.user_id).update(must_change_password=False)
    family = Client(HTTP_HOST="127.0.0.1")
    family.force_login(pupil.user)
    requests = [
        ("grid JSON", teacher, "GET", read.grid_json_url(), None),
        ("one mark", writer, "POST", write.cells_url(lesson), write.cells_body(lesson, [student])),
        ("diary week", family, "GET", "/diary/", None),
    ]
    out = [f"Journal: {read.facts['journal']}, {read.facts['period']}; the diary of {pupil}."]
    for name, client, method, url, body in requests:
        _captured(client, method, url, body)  # warm-up (and the session's auth context)
        sqls = _captured(client, method, url, body)
        out += ["", f"#### {name} ({len(sqls)} queries; the plans of those on the big tables)"]
        for sql in sqls:
            if not any(t in sql for t in BIG) or sql.startswith(("SAVEPOINT", "RELEASE")):
                continue
            out += ["", "```", sql[:600] + (" …" if len(sql) > 600 else ""), "", _plan(sql), "```"]
    text = "\n".join(out) + "\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
