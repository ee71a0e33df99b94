"""bench/run works end to end at tiny scale: every request measured, nothing failed, no "database
is locked". Figures are printed by the runner, never asserted: only that they are there."""

import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

RUNNER = Path(__file__).resolve().parents[2] / "bench" / "run.py"
NUMBER = r"[\d ]+\.\d+"


def _database() -> list[str]:
    """The suite's database: PostgreSQL (a throw-away database on its server) or SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        admin = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
        return ["--db", "postgres", "--pg-url", admin]
    return ["--db", "sqlite"]


def _row(report: str, label: str, clients: int | None = None) -> list[str]:
    """The cells of the table row starting with `label` (and `clients`, for the HTTP table)."""
    for line in report.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == label and (clients is None or cells[1] == str(clients)):
            return cells
    raise AssertionError(f"no row {label!r} ({clients}) in:\n{report}")


def test_runner_reports_every_request_at_tiny_scale(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    args = [
        *_database(),
        "--dataset", "tiny", "--scale", "0.1",
        "--rounds", "2",
        "--clients", "1,2", "--http-seconds", "2", "--http-requests", "6",
        "--writers", "3", "--writers-seconds", "2", "--writer-cells", "1,3",
        "--areas", "tests.bench.area_dummy,tests.bench.area_broken",
        "--out", str(out),
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, str(RUNNER), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert report in done.stdout

    labels = [
        "grid JSON (GET /api/v1/journal/…)",
        "grid page (GET /journal/…/)",
        "one mark (POST …/cells, 1 cell)",
        "login (POST /accounts/login/)",
    ]
    column = re.search(r"^\| (column \(\d+ cells, one POST\)) \|", report, re.M)
    assert column, report
    labels.append(column.group(1))

    # (a) in process: p50, p95, p99, req/s, CPU ms, statements (data + tx), failures 0
    for label in labels:
        cells = _row(report, label)
        assert all(re.fullmatch(NUMBER, c) for c in cells[1:6]), cells
        assert re.fullmatch(r"[1-9]\d*( \+ [1-9]\d* tx)?", cells[6]), cells  # statements
        if label.startswith(("one mark", "column")):  # BEGIN and COMMIT, counted apart
            assert cells[6].endswith(" + 2 tx"), cells
        assert cells[7] == "0", cells  # failures
    # (e) the areas' rows: a stand-in area measured in the worker, a failing one reported
    dummy = _row(report, "dummy count")
    assert re.fullmatch(NUMBER, dummy[1]) and dummy[3] == "1" and dummy[-1] == "measured", dummy
    assert _row(report, "tests.bench.area_broken")[-1] == "failed"

    # (b) over HTTP, 1 and 2 clients: every request answered as expected, the clock at NOW
    assert "the clock check showed 4 четверть 2027-03-30–2027-05-26" in report
    assert re.search(r"gunicorn \d+ workers × \d+ threads", report), report
    for label in labels:
        for clients in (1, 2):
            cells = _row(report, label, clients)
            assert int(cells[2]) > 0, cells  # requests
            assert all(re.fullmatch(NUMBER, c) for c in cells[3:8]), cells
            # the load generator's CPU (a process of its own) with its share of a core
            assert re.fullmatch(rf"{NUMBER} \(\d+%\)", cells[8]), cells
            assert re.fullmatch(NUMBER, cells[9]), cells  # the load average
            assert cells[10] == "0", cells  # errors

    # The saves of each measured row are taken back after it: the rows measure one journal.
    kept = re.search(
        r"in its period: ([\d,]+) before the rows \(a\) and \(c\), ([\d,]+) after", report
    )
    assert kept and kept.group(1) == kept.group(2), report

    # (c) the floor: ours ÷ floor for the grid and one mark, measured paired with ours
    assert "Measured paired: ours and the floor alternate request by request" in report
    ratios = re.findall(rf"\| ({NUMBER})× \| ({NUMBER})× \|$", report, re.M)
    assert len(ratios) == 2, report

    # (d) writers, in process and over HTTP: marks saved, no errors, nothing locked
    for who in ("writer threads in one process", "keep-alive HTTP clients"):
        lines = re.findall(rf"^- 3 {who}\b.*$", report, re.M)
        assert len(lines) == 2, report  # single marks, then 3 marks a request
        for cells, line in zip((1, 3), lines, strict=True):
            assert f"{cells} mark(s) a request" in line, line
            saved = re.search(r"\*\*(\d+) marks/s\*\* \((\d+) saved\)", line)
            assert saved and int(saved.group(2)) > 0, line
            assert int(saved.group(2)) % cells == 0, line
            assert "errors: 0; **database is locked: 0**" in line
