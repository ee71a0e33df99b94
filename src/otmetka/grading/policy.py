"""The school's marking rules as pure functions (R26–R28): the mean of current marks, the mark
it suggests, the minimum number of marks and the year mark. Decimal only: Python's `round`
rounds half to even (2.5 → 2), which no school's Положение means."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from otmetka.curriculum.models import AssessmentMode
from otmetka.grading.models import FAIL, PASS, MarkingPolicy

TWO_PLACES = Decimal("0.01")
WHOLE = Decimal("1")
SCALE_LOW: dict[str, int] = {AssessmentMode.POINTS_2_5: 2, AssessmentMode.POINTS_1_5: 1}


@dataclass(frozen=True)
class Rules:
    """The parts of a policy the arithmetic needs (a model row or the defaults)."""

    weighted: bool = True
    thresholds: bool = False
    threshold_5: Decimal = Decimal("4.65")
    threshold_4: Decimal = Decimal("3.65")
    threshold_3: Decimal = Decimal("2.65")

    @classmethod
    def of(cls, policy: MarkingPolicy) -> Rules:
        """The rules of a policy row."""
        return cls(
            weighted=policy.mean == MarkingPolicy.Mean.WEIGHTED,
            thresholds=policy.rounding == MarkingPolicy.Rounding.THRESHOLDS,
            threshold_5=Decimal(policy.threshold_5),
            threshold_4=Decimal(policy.threshold_4),
            threshold_3=Decimal(policy.threshold_3),
        )


def mean(marks: Iterable[tuple[int, Decimal]], *, weighted: bool) -> Decimal | None:
    """The mean of (value, weight) pairs to two places, half up; None without marks."""
    pairs = list(marks)
    if not pairs:
        return None
    if weighted:
        total = sum((Decimal(v) * w for v, w in pairs), Decimal(0))
        exact = total / sum((w for _v, w in pairs), Decimal(0))
    else:
        exact = Decimal(sum(v for v, _w in pairs)) / len(pairs)
    return exact.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def to_mark(average: Decimal, rules: Rules, *, low: int = 2) -> int:
    """The whole mark a (two-place) mean gives: half up, or the school's thresholds; never
    below the scale's lowest mark `low` nor above 5."""
    if rules.thresholds:
        for mark, bound in ((5, rules.threshold_5), (4, rules.threshold_4), (3, rules.threshold_3)):
            if average >= bound:
                return mark
        # below «3»: on a 1–5 scale «2» starts one point below the «3» threshold
        return 2 if low == 2 or average >= rules.threshold_3 - 1 else 1
    whole = int(average.quantize(WHOLE, rounding=ROUND_HALF_UP))
    return max(low, min(5, whole))


def suggest(marks: Iterable[tuple[int, Decimal]], rules: Rules, *, low: int = 2) -> str:
    """The suggested period mark of current marks ("" without marks)."""
    average = mean(marks, weighted=rules.weighted)
    return "" if average is None else str(to_mark(average, rules, low=low))


def minimum_marks(policy: MarkingPolicy, *, hours_per_week: Decimal, half_year: bool) -> int:
    """The least number of current marks a period mark rests on (R26), by hours a week."""
    band = 1 if hours_per_week < 2 else (2 if hours_per_week < 3 else 3)
    prefix = "min_half" if half_year else "min_short"
    return int(getattr(policy, f"{prefix}_{band}h"))


def year_suggest(
    period_values: Iterable[str],
    rules: Rules,
    *,
    attestation: int | None = None,
    attestation_weight: Decimal = WHOLE,
    low: int = 2,
) -> str:
    """The suggested year mark (R28): the mean of the whole period marks, with the attestation
    work weighted when the school's rule has one; "" when no period has a whole mark."""
    pairs = [(int(v), WHOLE) for v in period_values if v.isdigit()]
    if not pairs:
        return ""
    if attestation is not None:
        pairs.append((attestation, attestation_weight))
    average = mean(pairs, weighted=True)
    assert average is not None
    return str(to_mark(average, rules, low=low))


def mean_of_sums(total: Decimal, weight: Decimal) -> Decimal | None:
    """The mean from sums (Σ value·weight, Σ weight) summed by the database, as `mean`."""
    if not weight:
        return None
    return (Decimal(total) / Decimal(weight)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def pass_fail_suggest(passes: int, total: int) -> str:
    """The suggested period mark of a pass/fail course: «зач» with at least one «зач» among
    the current marks, «незач» when every current mark is «незач», "" without marks (the
    teacher decides, e.g. «н/а»)."""
    if not total:
        return ""
    return PASS if passes else FAIL


def pass_fail_year_suggest(period_values: Iterable[str]) -> str:
    """The suggested year mark of a pass/fail course: «зач» when every period's pass/fail mark
    is «зач», «незач» when any is «незач», "" when no period has one."""
    found = [v for v in period_values if v in (PASS, FAIL)]
    if not found:
        return ""
    return FAIL if FAIL in found else PASS
