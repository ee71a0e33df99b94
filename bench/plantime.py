"""Planning against execution of the grid's and the mark save's statements on PostgreSQL
(docs/benchmarks.md): what preparing them saves, and the plan PostgreSQL keeps once prepared.

    DATABASE_URL=postgres://…/otm_school_s uv run python bench/plantime.py [--runs 200]

It makes bench/run's grid JSON and one-mark requests through Django's test client (in one
transaction, rolled back), captures each statement with its parameters (`execute_wrapper`: the
server-side bound ones too, whose logged SQL shows only placeholders), and for each SELECT on
its own psycopg connection prints: EXPLAIN ANALYZE's planning and execution times (a custom
plan, as an unprepared statement gets), the same of the statement PREPAREd with the generic
plan forced (what a prepared statement ends up with: planning ≈ 0), whether every scan of a
big table in that generic plan is an index scan, and the mean wall time of `--runs` runs
unprepared and prepared (psycopg's `prepare=`; the box's load inflates both alike).
"""

import argparse
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import NOW, pick, setup_django

BIG = ("journal_lesson", "journal_mark", "journal_absence", "journal_substitution")
PLACEHOLDER = re.compile(r"%s")


def _captured(run: Any) -> list[tuple[str, list[Any]]]:
    from django.db import connection

    found: list[tuple[str, list[Any]]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        found.append((sql, list(params or [])))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        run()
    return found


def _times(lines: list[str]) -> tuple[float, float]:
    got = {}
    for line in lines:
        for key in ("Planning Time", "Execution Time"):
            if line.startswith(key):
                got[key] = float(line.split(":")[1].split()[0])
    return got.get("Planning Time", float("nan")), got.get("Execution Time", float("nan"))


def _seq_scans(lines: list[str]) -> list[str]:
    return [ln.strip() for ln in lines if "Seq Scan" in ln and any(t in ln for t in BIG)]


def _measure(conn: Any, sql: str, params: list[Any], runs: int) -> dict[str, Any]:
    import psycopg

    numbered = iter(range(1, len(params) + 1))
    dollar = PLACEHOLDER.sub(lambda _m: f"${next(numbered)}", sql)
    literal = psycopg.ClientCursor(conn).mogrify(
        "EXECUTE p(" + ", ".join(["%s"] * len(params)) + ")", params
    )
    out: dict[str, Any] = {}
    with conn.cursor() as cur:
        for _ in range(2):  # the second (warm) counts
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params, prepare=False)
            custom = [r[0] for r in cur.fetchall()]
        out["custom"] = _times(custom)
        out["custom_seq"] = _seq_scans(custom)
        cur.execute("SET plan_cache_mode = force_generic_plan")
        cur.execute("PREPARE p AS " + dollar if params else "PREPARE p AS " + sql)
        for _ in range(2):
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + (literal if params else "EXECUTE p"))
            generic = [r[0] for r in cur.fetchall()]
        cur.execute("DEALLOCATE p")
        cur.execute("RESET plan_cache_mode")
        out["generic"] = _times(generic)
        out["generic_seq"] = _seq_scans(generic)
        out["generic_plan"] = generic
        for prepare in (False, True):
            for _ in range(6):  # warm-up; prepared from psycopg's threshold on
                cur.execute(sql, params, prepare=prepare)
                cur.fetchall()
            started = time.perf_counter()
            for _ in range(runs):
                cur.execute(sql, params, prepare=prepare)
                cur.fetchall()
            out["prepared" if prepare else "unprepared"] = (
                (time.perf_counter() - started) * 1000 / runs
            )
    conn.rollback()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--plans", action="store_true", help="print the generic plans too")
    args = parser.parse_args()
    import time_machine

    setup_django()
    time_machine.travel(NOW, tick=True).start()
    import psycopg
    from django.db import connection, transaction
    from django.utils import timezone
    from explain import _client

    assert connection.vendor == "postgresql", "planning times are PostgreSQL's"
    today = timezone.localdate()
    with transaction.atomic():
        read, write = pick(today)
        teacher, writer = _client(read.teacher), _client(write.teacher)
        lesson, student = write.held[-1], write.students[0]
        url, body = write.cells_url(lesson), write.cells_body(lesson, [student])
        requests = {
            "grid JSON": lambda: teacher.get(read.grid_json_url()),
            "one mark": lambda: writer.post(url, body, content_type="application/json"),
        }
        statements = {}
        for name, run in requests.items():
            run()
            statements[name] = _captured(run)
        transaction.set_rollback(True)
    settings = connection.settings_dict
    conn = psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"],
        port=settings["PORT"] or 5432, password=settings["PASSWORD"] or None,
    )  # fmt: skip
    print(
        "| request | statement | custom plan: planning / execution ms | generic plan: planning"
        " / execution ms | seq scans of big tables (generic) | unprepared / prepared ms |"
    )
    print("|---|---|---:|---:|---|---:|")
    for name, found in statements.items():
        for sql, params in found:
            head = " ".join(sql.split())[:70]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                print(f"| {name} | `{head}` | (not a read) | | | |")
                continue
            got = _measure(conn, sql, params, args.runs)
            (cp, ce), (gp, ge) = got["custom"], got["generic"]
            seq = "; ".join(got["generic_seq"]) or "none"
            print(
                f"| {name} | `{head}` | {cp:.2f} / {ce:.2f} | {gp:.2f} / {ge:.2f} | {seq} |"
                f" {got['unprepared']:.2f} / {got['prepared']:.2f} |"
            )
            if args.plans:
                print("\n```\n" + "\n".join(got["generic_plan"]) + "\n```\n")
    conn.close()


if __name__ == "__main__":
    main()
