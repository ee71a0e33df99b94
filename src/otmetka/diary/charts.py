"""A small chart of a subject's marks over a period, drawn by the template as inline SVG (no
script, no external library): coordinates are computed here, on the server."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

WIDTH, HEIGHT, PAD = 320, 90, 12
LOW, HIGH = 1, 5  # the point scale; 2–5 and 1–5 share the axis


def _y(value: Decimal | int) -> float:
    """The vertical position of a mark value (5 at the top)."""
    span = HEIGHT - 2 * PAD
    return round(PAD + span * (HIGH - float(value)) / (HIGH - LOW), 1)


def mark_chart(marks: list[dict[str, Any]], period: Any, class_average: str | None) -> dict | None:
    """Points (x, y, value) of the point marks by date across the period, the polyline through
    them, and the class's average as a level line; None when there is no point mark."""
    points = [m for m in marks if str(m["value"]).isdigit()]
    if not points:
        return None
    days = max((period.end - period.start).days, 1)
    span = WIDTH - 2 * PAD
    dots = [
        {
            "x": round(PAD + span * (m["date"] - period.start).days / days, 1),
            "y": _y(int(m["value"])),
            "value": m["value"],
            "date": m["date"],
        }
        for m in points
    ]
    level = _y(Decimal(class_average)) if class_average else None
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "dots": dots,
        "line": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "class_level": level,
        "grid": [{"y": _y(v), "value": v} for v in range(HIGH, LOW - 1, -1)],
        "left": PAD,
        "right": WIDTH - PAD,
    }
