"""EXPLAIN (ANALYZE, BUFFERS) of the hot queries on a loaded PostgreSQL database
(docs/benchmarks.md).

    DATABASE_URL=postgres://…/otm_school_s uv run python bench/explain.py [--out plans.md]
        [--school ID] [--brief]

On the dataset loaded by `otmetka dataset` (clock at bench/run's NOW) it makes bench/run's
requests through Django's test client — the grid JSON of the measured journal, one mark saved
to its sibling, a student's diary week, the diary days answered 304 from their ETag and
ЭлЖур's getdiary (a guardian's token), the deputy's monitoring page, the region viewer's
dashboard — and one school's rollup recompute of last week, captures their SQL and prints the
plan of each query that reads or writes the big tables (lessons, marks, absences, audit events,
rollups), each run twice (the second, warm, is shown). Everything runs in one transaction that
is rolled back: the database is left as it was. `--school` measures that school's journal
(default: the first school); `--brief` keeps the plan's nodes (type, index, rows, time),
the top node's buffers and the planning and execution times.
"""

import argparse
import datetime
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import NOW, pick, setup_django

BIG = (
    "journal_lesson",
    "journal_mark",
    "journal_absence",
    "audit_",
    "compliance_dayrollup",
    "compliance_schooldayrollup",
)
NODE = re.compile(
    r"^\s*(->\s*)?[A-Z][A-Za-z ]+(Scan|Join|Loop|Aggregate|Sort|Append|Limit|Result|Hash|"
    r"Materialize|Unique|Gather|Insert|Update|Delete|CTE|SetOp|Memoize|WindowAgg)"
)
COST = re.compile(r"\s*\(cost=[^)]*\)")


def _captured(run: Callable[[], Any], status: int = 200) -> list[tuple[str, Any]]:
    """The statements `run` executed with their parameters: the text and the parameters as
    given to the driver (a server-side binding cursor's statement, the diary's 304, shows `$1`
    in its logged text, which EXPLAIN cannot run)."""
    from django.db import connection

    captured: list[tuple[str, Any]] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, None if many else params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        response = run()
    code = getattr(response, "status_code", status)
    assert code == status, (code, getattr(response, "content", b"")[:300])
    return captured


def _brief(lines: list[str]) -> list[str]:
    """The plan's nodes without their cost estimates, the top node's buffers, the times."""
    kept: list[str] = []
    buffers = False
    for line in lines:
        if NODE.match(line) or "SubPlan" in line or "InitPlan" in line:
            kept.append(COST.sub("", line))
        elif "Index Cond" in line or "Rows Removed" in line:
            kept.append(line)
        elif line.strip().startswith("Buffers:") and not buffers:
            kept.append(line)
            buffers = True
        elif line.startswith(("Planning Time", "Execution Time", "(not run")):
            kept.append(line)
    return kept


def _plan(sql: str, params: Any, brief: bool) -> str:
    from django.db import DatabaseError, connection, transaction

    lines: list[str] = []
    for _ in range(2):  # the second run is warm (cache, plan of a pooled connection)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                lines = [row[0] for row in cursor.fetchall()]
                transaction.set_rollback(True)
        except DatabaseError as exc:  # a write repeated (its rows are there): plan it only
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql, params)
                why = str(exc).splitlines()[0]
                lines = [f"(not run again: {why}; the plan without ANALYZE)"]
                lines += [row[0] for row in cursor.fetchall()]
    return "\n".join(_brief(lines) if brief else lines)


def _client(user: Any) -> Any:
    from django.test import Client

    type(user).objects.filter(pk=user.pk).update(must_change_password=False)  # rolled back
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def _region_viewer() -> Any:
    from otmetka.access.models import Role, RoleMembership

    found = RoleMembership.objects.filter(role=Role.REGION_VIEWER).select_related("user").first()
    assert found is not None, "no region viewer in the database"
    return found.user


def _deputy_query(school: Any, today: datetime.date) -> tuple[Any, str]:
    """A deputy of the school and the monitoring page of its current quarter."""
    from otmetka.access.models import Role, RoleMembership
    from otmetka.reports.monitoring import default_range, school_periods

    rng = default_range(school_periods(school), today)
    deputy = RoleMembership.objects.filter(school=school, role=Role.DEPUTY).first()
    assert deputy is not None, "no deputy in the school"
    return deputy.user, f"/reports/monitoring/?start={rng.start}&end={rng.end}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="also write the Markdown here")
    parser.add_argument("--school", type=int, help="the school whose journal is measured")
    parser.add_argument("--brief", action="store_true", help="the plans' relevant lines only")
    args = parser.parse_args()
    import time_machine

    setup_django()
    time_machine.travel(NOW, tick=True).start()
    from django.db import connection, transaction

    assert connection.vendor == "postgresql", "EXPLAIN (ANALYZE, BUFFERS) is PostgreSQL's"
    with transaction.atomic():  # the saves, tokens and rollups below are rolled back
        text = _explain(args.school, args.brief)
        transaction.set_rollback(True)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")


def _explain(school_id: int | None, brief: bool) -> str:
    from django.test import Client
    from django.utils import timezone

    from api import _parent_token
    from otmetka.compliance.rollups import rollups_refresh
    from otmetka.compliance.selectors import last_week
    from otmetka.people.models import Student

    today = timezone.localdate()
    read, write = pick(today, school_id)
    school = read.course.school
    teacher, writer = _client(read.teacher), _client(write.teacher)
    lesson, student = write.held[-1], write.students[0]
    pupil = Student.objects.filter(user__isnull=False, pk__in=read.students).first()
    assert pupil is not None
    family = _client(pupil.user)
    token = _parent_token(pupil)
    monday, sunday = last_week(today)
    bearer = Client(HTTP_HOST="127.0.0.1", headers={"Authorization": f"Bearer {token}"})
    days = f"/api/v1/diary/{pupil.pk}/days?start={monday}&end={sunday}"
    etag = bearer.get(days).headers["ETag"]
    getdiary = {"auth_token": token, "student": pupil.pk,
                "days": f"{monday:%Y%m%d}-{sunday:%Y%m%d}"}  # fmt: skip
    apiv3 = Client(HTTP_HOST="127.0.0.1")
    deputy, monitoring = _deputy_query(school, today)
    deputy_client, viewer = _client(deputy), _client(_region_viewer())
    cells_url, cells_body = write.cells_url(lesson), write.cells_body(lesson, [student])
    requests: list[tuple[str, Callable[[], Any], int]] = [
        ("grid JSON", lambda: teacher.get(read.grid_json_url()), 200),
        ("one mark", lambda: writer.post(cells_url, cells_body, content_type="application/json"),
         200),
        ("diary week", lambda: family.get("/diary/"), 200),
        ("api/v1 diary days 304 (ETag)", lambda: bearer.get(days, headers={"If-None-Match": etag}),
         304),
        ("apiv3 getdiary week", lambda: apiv3.get("/apiv3/getdiary", getdiary), 200),
        ("monitoring page (deputy, the quarter)", lambda: deputy_client.get(monitoring), 200),
        ("region dashboard (last week)", lambda: viewer.get("/compliance/region/"), 200),
        ("rollup recompute, the school's last week",
         lambda: rollups_refresh(school=school, start=monday, end=sunday), 200),
    ]  # fmt: skip
    out = [
        f"School {school.pk} ({school.short_name}). Journal: {read.facts['journal']}, "
        f"{read.facts['period']}; the diary of {pupil} (student {pupil.pk}); last week "
        f"{monday:%d.%m}–{sunday:%d.%m.%Y}."
    ]
    for name, run, status in requests:
        _captured(run, status)  # warm-up (and the session's auth context)
        sqls = _captured(run, status)
        out += ["", f"#### {name} ({len(sqls)} queries; the plans of those on the big tables)"]
        for sql, params in sqls:
            if not any(t in sql for t in BIG) or sql.startswith(("SAVEPOINT", "RELEASE")):
                continue
            shown = sql[:600] + (" …" if len(sql) > 600 else "")
            out += ["", "```", shown, "", _plan(sql, params, brief), "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
