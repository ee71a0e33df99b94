"""A stand-in area script for bench/run's areas' rows (bench/areas.py): `measure` as the area
scripts have it (shared-bench interface), writing a row the runner must roll back."""

import time
from typing import Any


def measure(rounds: int = 200) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from otmetka.school.models import Region

    Region.objects.create(name="Область из bench/areas", code="99")  # rolled back by the runner
    times = []
    with CaptureQueriesContext(connection) as captured:
        Region.objects.count()
    for _ in range(rounds):
        started = time.perf_counter()
        Region.objects.count()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return [
        {
            "name": "dummy count",
            "p50": times[len(times) // 2],
            "p95": times[int(len(times) * 0.95) - 1] if len(times) > 1 else times[0],
            "queries": len(captured.captured_queries),
            "floor_p50": times[0] / 2,
            "target": "p95 ≤ 5 ms",
        },
        {"name": "dummy without a floor", "p50": 1.0, "p95": 2.0, "queries": 1},
    ]
