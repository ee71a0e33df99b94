"""bench/run's Markdown report from the workers' results."""

import argparse
import contextlib
import os
import platform
import sqlite3
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import NOW
from hot import TARGETS, WRITERS_TARGET


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}".replace(",", " ")
    return str(value)


def _met(name: str, p95: float, queries: int | None = None, failures: int = 0) -> str:
    target = TARGETS[name]
    if target.p95_ms is None and target.queries is None:
        return "—"
    ok = failures == 0 and (target.p95_ms is None or p95 <= target.p95_ms)
    if target.queries is not None and queries is not None:
        ok = ok and queries <= target.queries
    return "met" if ok else "**not met**"


def machine() -> list[str]:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; RAM {ram}",
        f"- OS: {platform.platform()}; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}",
    ]


def _row(*cells: Any) -> str:
    """One Markdown table row."""
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _statements(row: dict) -> str:
    """The request's statements: the data statements, and BEGIN/COMMIT (or the test's
    SAVEPOINT/RELEASE) apart when there are any (a query target counts both)."""
    tx = row.get("tx") or 0
    return f"{row['queries'] - tx} + {tx} tx" if tx else str(row["queries"])


def _client(row: dict | None) -> str:
    return f"{_fmt(row['p50'])} / {_fmt(row['cpu_ms'])}" if row else "—"


def _in_process_section(args: argparse.Namespace, r: dict) -> list[str]:
    lines = [
        f"### (a) In process (the WSGI application called as a server's worker calls it, "
        f"{args.rounds} rounds after a warm-up of {r.get('warmup', 1)} requests; the last column: "
        "the same through Django's test client, the measure of reports before 2026-12-01)",
        "",
        "| request | p50 ms | p95 ms | p99 ms | req/s | CPU ms/req "
        "| statements: data + transaction control | failures | target (DESIGN.md §6) | "
        "| test client p50 / CPU ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|",
    ]
    client = {row["name"]: row for row in r.get("in_process_client", [])}
    lines += [
        _row(
            row["label"],
            *(_fmt(row[k]) for k in ("p50", "p95", "p99", "rps", "cpu_ms")),
            _statements(row),
            row["failures"],
            TARGETS[row["name"]].text,
            _met(row["name"], row["p95"], row["queries"], row["failures"]),
            _client(client.get(row["name"])),
        )
        for row in r["in_process"]
    ]
    lines += [
        f"\nFirst failure of {row['name']}: {row['error']}"
        for row in r["in_process"]
        if row["error"]
    ]
    if args.sql:
        for row in r["in_process"]:
            lines += ["", f"Queries of {row['label']}:", "", "```sql"]
            lines += [q[:200] for q in row["sql"]]
            lines.append("```")
    return lines


def _http_section(args: argparse.Namespace, h: dict) -> list[str]:
    lines = [
        f"### (b) Over HTTP (`otmetka serve`: gunicorn {h.get('workers', 2)} workers × "
        f"{h.get('threads', 4)} threads; keep-alive "
        f"clients on loopback; ≤ {args.http_requests} requests or {args.http_seconds:g} s a "
        f"level; the clock check showed {h['clock']})",
        "",
        "| request | clients | requests | p50 ms | p95 ms | p99 ms | req/s "
        "| server CPU ms/req | load generator CPU ms/req (share of a core) | load avg "
        "| errors | target | |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    lines += [
        _row(
            row["label"],
            row["clients"],
            row["done"],
            *(_fmt(row[k]) for k in ("p50", "p95", "p99", "rps", "cpu_ms")),
            f"{_fmt(row.get('client_cpu_ms'), 2)} ({row.get('client_cpu_share', 0):.0%})",
            _fmt(row.get("load")),
            row["errors"],
            TARGETS[row["name"]].text,
            _met(row["name"], row["p95"], None, row["errors"]),
        )
        for row in h["rows"]
    ]
    lines += [
        f"\n{row['name']} × {row['clients']}: {row['error_kinds']}"
        for row in h["rows"]
        if row["error_kinds"]
    ]
    lines.append(
        "\nLatency is what the client saw (the load generator shares the cores with the "
        "server); the §6 targets are server time. Server CPU: utime + stime of gunicorn's "
        "master and workers (/proc), 10 ms ticks. The load generator is a process of its own "
        "(bench/loadgen.py, asyncio keep-alive clients): its CPU per request and its share of a "
        "core are shown so that what it takes from the cores is seen. Load avg: the machine's "
        "1-minute load average at the end of the level (other processes included)."
    )
    return lines


def _floor_section(r: dict) -> list[str]:
    ours = {row["name"]: row for row in r["in_process"]}
    lines = [
        "### (c) The floor (one hand-written SQL query + orjson; two raw INSERTs)",
        "",
        "Measured paired: ours and the floor alternate request by request after the same "
        f"warm-up ({r.get('warmup', '?')} of each), so that both see the same machine.",
        "",
        "| request | floor p50 ms | floor p95 ms | floor CPU ms | ours p50 ms "
        "| ours p95 ms | ours CPU ms | ours ÷ floor (p50) | ours ÷ floor (p95) "
        "| ours ÷ floor (CPU) | (a)'s p50 ÷ this floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in r["floor"]:
        o = ours[row["name"]]
        p50, p95, cpu = row["ours_p50"], row["ours_p95"], row["ours_cpu_ms"]
        lines.append(
            f"| {o['label']} | {_fmt(row['p50'], 2)} | {_fmt(row['p95'], 2)} | "
            f"{_fmt(row['cpu_ms'], 2)} | {_fmt(p50)} | {_fmt(p95)} | {_fmt(cpu)} | "
            f"{p50 / row['p50']:.1f}× | {p95 / row['p95']:.1f}× | {cpu / row['cpu_ms']:.1f}× | "
            f"{o['p50'] / row['p50']:.1f}× |"
        )
    g = r["floor"][0]
    lines.append(
        f"\nGrid JSON size: ours {g['ours_bytes']:,} bytes, floor {g['bytes']:,} bytes (the "
        "floor carries lessons, roster, marks, absences; no averages, rights, КТП or files). "
        "Ours is the whole request through the WSGI application (the test client column beside "
        "it for comparison). The areas' rows are in (e)."
    )
    return lines


def _areas_section(r: dict) -> list[str]:
    """(e) the rows of the area scripts' `measure` (bench/areas.py), in process."""
    lines = [
        "### (e) The areas' rows (`measure` of bench/diary.py, bench/messaging.py, "
        "bench/gradesheet.py; in process, rolled back)",
        "",
        "| request | p50 ms | p95 ms | queries | floor p50 ms | ours ÷ floor (p50) | target "
        "| status |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in r["areas"]:
        status = row["status"]
        if status != "measured":
            lines.append(_row(row["name"], *[""] * 6, status))
            continue
        p50, floor = row["p50"], row["floor_p50"]
        ratio = f"{p50 / floor:.1f}×" if p50 and floor else "—"
        lines.append(
            _row(
                row["name"],
                _fmt(p50),
                _fmt(row["p95"]),
                _fmt(row["queries"]),
                _fmt(floor, 2),
                ratio,
                row["target"] or "—",
                status,
            )
        )
    lines += [f"\n{row['name']}: {row['error']}" for row in r["areas"] if row["status"] == "failed"]
    lines.append(
        "\nOver HTTP only the journal's requests are measured (b); the areas' pages are "
        "measured in process by their own scripts."
    )
    return lines


def _writers_line(w: dict, who: str, sqlite: bool) -> str:
    ok = w["rate"] >= WRITERS_TARGET and w["locked"] == 0 and not w["errors"]
    met = "met" if ok else "**not met**"
    target = (
        f"Target: ≥ {WRITERS_TARGET} marks/s, 0 locked — {met}."
        if sqlite
        else "Target: ≥ 1,000 marks/s on 8 vCPU (scale.md R2); none for this machine."
    )
    line = (
        f"- {w['threads']} {who} over {w['courses']} courses for "
        f"{w['seconds']:.1f} s, {w.get('cells', 1)} mark(s) a request: "
        f"**{w['rate']:.0f} marks/s** ({w['saved']} saved), "
        f"p50 {_fmt(w['p50'])} ms, p95 {_fmt(w['p95'])} ms, p99 {_fmt(w['p99'])} ms; "
        f"errors: {w['errors']}; **database is locked: {w['locked']}**. {target}"
    )
    if w["note"]:
        line += f" Note: {w['note']}."
    if w["error_kinds"]:
        line += f" Errors by kind: {w['error_kinds']}"
    return line


def _writers_section(r: dict) -> list[str]:
    sqlite = r["db"].startswith("SQLite")
    lines = ["### (d) Concurrent writers (marks to random students and held lessons)", ""]
    who = "writer threads in one process, own connection each,"
    lines += [_writers_line(w, who, sqlite) for w in r.get("writers", [])]
    who = "keep-alive HTTP clients against the server"
    lines += [_writers_line(w, who, sqlite) for w in r.get("http", {}).get("writers", [])]
    one = next((row for row in r["in_process"] if row["name"] == "one mark"), None)
    if one and one["cpu_ms"] > 0:
        lines.append(
            f"\nOne mark costs {one['cpu_ms']:.1f} ms of CPU in process ({_statements(one)} "
            f"statements): one Python process saves at most ≈ {1000 / one['cpu_ms']:.0f} single "
            f"marks/s (the GIL), this machine ≈ {os.cpu_count() * 1000 / one['cpu_ms']:.0f}/s "
            "on all its cores."
        )
        if sqlite:
            lines[-1] += (
                " SQLite writers of one process take turns on a mutex before BEGIN IMMEDIATE "
                "(src/otmetka/config/sqlite), so a queue of threads waits instead of timing "
                "out in SQLite's busy handler."
            )
    return lines


def render(args: argparse.Namespace, results: list[dict], skipped: list[str]) -> str:
    lines = [
        "# Otmetka benchmark",
        "",
        f"`bench/run {' '.join(args.argv)}`".replace("`bench/run `", "`bench/run`"),
        "",
        "## Machine",
        "",
        *machine(),
        f"- School clock: {NOW:%Y-%m-%d %H:%M} UTC (time_machine, ticking)",
    ]
    lines += [f"- {s}" for s in skipped]
    for r in results:
        f = r["facts"]
        load_s = r["load"]["load_s"]
        lines += [
            "",
            f"## {r['db']}",
            "",
            (f"Dataset `{args.dataset}`: " if not args.reuse else "Dataset: ")
            + r["load"]["how"]
            + (f", loaded in {load_s:.1f} s" if load_s is not None else "")
            + ".",
            f"{f['schools']:,} schools, {f['classes']:,} classes, {f['students']:,} students, "
            f"{f['users']:,} users, {f['lessons']:,} lessons, {f['marks']:,} marks, "
            f"{f['absences']:,} absences.",
            f"Journal read: {r['journal']['journal']}, {r['journal']['period']}, "
            f"{r['journal']['period_lessons']} lessons; saves go to {r['write_journal']}.",
        ]
        if "kept_marks" in r:
            before, after = r["kept_marks"]
            lines.append(
                f"Marks of the saves' journal in its period: {before:,} before the rows (a) and "
                f"(c), {after:,} after them (each row's saves deleted after it, so that every row "
                "measures the same journal)."
            )
        if r["journal"]["students"] < 25:
            lines.append(
                f"(§6's journal has 25–30 students; this dataset's has "
                f"{r['journal']['students']}: use `--dataset school-S` for the figures.)"
            )
        lines += ["", *_in_process_section(args, r)]
        if "http" in r:
            lines += ["", *_http_section(args, r["http"])]
        if "floor" in r:
            lines += ["", *_floor_section(r)]
        if "areas" in r:
            lines += ["", *_areas_section(r)]
        if "writers" in r or r.get("http", {}).get("writers"):
            lines += ["", *_writers_section(r)]
    return "\n".join(lines) + "\n"
