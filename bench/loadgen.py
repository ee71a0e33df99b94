"""bench/run's HTTP load generator, a process of its own (no Django): keep-alive clients on asyncio.

    python bench/loadgen.py < job.json > result.json

The job (JSON on stdin): {"port", "clients", "seconds", "limit", "requests": [[method, path,
body or null, {header: value}, expected status], ...]}. Request i is requests[i % len]; the run
ends after `limit` requests or `seconds`, whichever comes first. The answer (JSON on stdout):
the latencies in ms of the requests answered with their expected status, the errors by kind, the
wall time, and this process's CPU seconds (user + system) so the report shows what the load
generator took from the server's cores. One event loop in one process: a request costs it tens
of microseconds of CPU, where 32 threads of http.client (the former generator, inside the
benchmark's Django process) cost hundreds and fought over one interpreter lock.
"""

import asyncio
import itertools
import json
import resource
import sys
import time
from collections import Counter
from typing import Any


class Refused(Exception):
    pass


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Read one HTTP/1.1 answer: its status, body (Content-Length or chunked) and whether the
    server keeps the connection open (a sync gunicorn worker closes it after each answer)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    keep = headers.get("connection", "").lower() != "close"
    if "content-length" in headers:
        return status, await reader.readexactly(int(headers["content-length"])), keep
    if headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                return status, b"".join(parts), keep
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
    if not keep:
        return status, await reader.read(), keep
    return status, b"", keep


def _request_bytes(method: str, path: str, body: str | None, headers: dict[str, str]) -> bytes:
    data = body.encode("utf-8") if body is not None else b""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if data or method == "POST":
        lines.append(f"Content-Length: {len(data)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data


async def run(job: dict[str, Any]) -> dict[str, Any]:
    port, clients = job["port"], job["clients"]
    limit, stop_at = job["limit"], time.perf_counter() + job["seconds"]
    requests = [(_request_bytes(m, p, b, h), expect) for m, p, b, h, expect in job["requests"]]
    counter = itertools.count()
    times: list[float] = []
    errors: Counter[str] = Counter()

    async def client() -> None:
        reader = writer = None
        try:
            while time.perf_counter() < stop_at:
                i = next(counter)
                if i >= limit:
                    break
                data, expect = requests[i % len(requests)]
                started = time.perf_counter()
                try:
                    if writer is None:
                        reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    assert reader is not None
                    writer.write(data)
                    status, body, keep = await _answer(reader)
                    if not keep:  # as a browser does: a new connection for the next request
                        writer.close()
                        reader = writer = None
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
                    if writer is not None:
                        writer.close()
                    reader = writer = None
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                if status != expect:
                    errors[f"HTTP {status}: {body[:100]!r}"] += 1
                else:
                    times.append(elapsed)
        finally:
            if writer is not None:
                writer.close()

    before = resource.getrusage(resource.RUSAGE_SELF)
    wall0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - wall0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "times": times,
        "errors": dict(errors),
        "wall": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime,
    }


def main() -> None:
    job = json.load(sys.stdin)
    json.dump(asyncio.run(run(job)), sys.stdout)


if __name__ == "__main__":
    main()
