"""The marking rules (R26–R28) as a table, and their properties."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otmetka.grading.models import MarkingPolicy
from otmetka.grading.policy import Rules, mean, minimum_marks, suggest, to_mark, year_suggest

pytestmark = pytest.mark.db_independent  # no database: scripts/test runs it in the SQLite pass

# A shared, busy machine: generation and runs may be slow; correctness is what is tested.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

HALF_UP = Rules(weighted=False, thresholds=False)
THRESHOLDS = Rules(weighted=False, thresholds=True)
D = Decimal


@pytest.mark.parametrize(
    ("average", "rules", "mark"),
    [
        ("2.5", HALF_UP, 3),
        ("3.5", HALF_UP, 4),
        ("4.5", HALF_UP, 5),
        ("4.49", HALF_UP, 4),
        ("2.49", HALF_UP, 2),
        ("4.64", THRESHOLDS, 4),
        ("4.65", THRESHOLDS, 5),
        ("3.64", THRESHOLDS, 3),
        ("3.65", THRESHOLDS, 4),
        ("2.64", THRESHOLDS, 2),
        ("2.65", THRESHOLDS, 3),
        ("4.44", HALF_UP, 4),
        ("4.44", THRESHOLDS, 4),
    ],
)
def test_the_mark_of_a_mean(average: str, rules: Rules, mark: int) -> None:
    assert to_mark(D(average), rules) == mark


def test_the_weighted_example_of_r27_is_40_ninths() -> None:
    # classwork «5» weight 3, homework «5» weight 1, test «4» weight 5: 40/9 = 4.44, not 4.33
    marks = [(5, D(3)), (5, D(1)), (4, D(5))]
    assert mean(marks, weighted=True) == D("4.44")
    assert suggest(marks, Rules(weighted=True)) == "4"
    assert suggest(marks, Rules(weighted=True, thresholds=True)) == "4"
    assert mean(marks, weighted=False) == D("4.67")  # the simple mean differs
    assert suggest(marks, Rules(weighted=False, thresholds=True)) == "5"


def test_no_marks_no_suggestion() -> None:
    assert mean([], weighted=True) is None
    assert suggest([], HALF_UP) == ""


def test_the_lowest_mark_of_the_scale() -> None:
    assert to_mark(D("1.2"), HALF_UP, low=2) == 2
    assert to_mark(D("1.2"), HALF_UP, low=1) == 1
    assert to_mark(D("1.70"), THRESHOLDS, low=1) == 2
    assert to_mark(D("1.60"), THRESHOLDS, low=1) == 1


@pytest.mark.parametrize(
    ("hours", "half", "minimum"),
    [("1", False, 3), ("0.5", False, 3), ("2", False, 5), ("4", False, 7), ("1", True, 5),
     ("2.5", True, 8), ("5", True, 10)],
)  # fmt: skip
def test_the_minimum_number_of_marks_by_hours_a_week(hours: str, half: bool, minimum: int) -> None:
    assert minimum_marks(MarkingPolicy(), hours_per_week=D(hours), half_year=half) == minimum


@pytest.mark.parametrize(
    ("periods", "attestation", "weight", "rules", "mark"),
    [
        (["5", "4", "4", "4"], None, "1", HALF_UP, "4"),  # (a) quarters: 4.25
        (["5", "5", "4", "4"], None, "1", HALF_UP, "5"),  # 4.5 → 5 half up
        (["5", "5", "4", "4"], None, "1", THRESHOLDS, "4"),  # 4.5 < 4.65
        (["4", "5"], None, "1", HALF_UP, "5"),  # (b) half-years: 4.5
        (["4", "4", "4", "4"], 5, "2", HALF_UP, "4"),  # (c) attestation: (16+10)/6 = 4.33
        (["4", "4"], 5, "2", HALF_UP, "5"),  # (8+10)/4 = 4.5
        (["н/а", "4", "осв", "5"], None, "1", HALF_UP, "5"),  # codes do not count: 4.5
        (["н/а", ""], None, "1", HALF_UP, ""),
    ],
)
def test_the_year_mark_rules(
    periods: list[str], attestation: int | None, weight: str, rules: Rules, mark: str
) -> None:
    assert (
        year_suggest(periods, rules, attestation=attestation, attestation_weight=D(weight)) == mark
    )


marks_st = st.lists(
    st.tuples(st.integers(2, 5), st.sampled_from([D(1), D(2), D(3), D("0.5")])),
    min_size=1,
    max_size=20,
)


@RELAXED
@given(marks_st, st.booleans())
def test_the_mean_lies_between_the_lowest_and_highest_mark(marks: list, weighted: bool) -> None:
    average = mean(marks, weighted=weighted)
    assert min(v for v, _ in marks) <= average <= max(v for v, _ in marks)


@RELAXED
@given(st.integers(200, 500))
def test_half_up_matches_decimal_half_up_never_bankers(hundredths: int) -> None:
    average = D(hundredths) / 100
    expected = int(average.quantize(D(1), rounding=ROUND_HALF_UP))
    assert to_mark(average, HALF_UP) == expected
    if hundredths % 100 == 50:  # x.5 always goes up, unlike round()
        assert to_mark(average, HALF_UP) == hundredths // 100 + 1


@RELAXED
@given(st.integers(200, 500), st.integers(200, 500))
def test_thresholds_are_monotone(a: int, b: int) -> None:
    low, high = sorted((D(a) / 100, D(b) / 100))
    assert to_mark(low, THRESHOLDS) <= to_mark(high, THRESHOLDS)
    assert to_mark(low, HALF_UP) <= to_mark(high, HALF_UP)


@RELAXED
@given(st.integers(200, 500))
def test_thresholds_never_give_more_than_half_up(hundredths: int) -> None:
    # 4.65 > 4.5: thresholds of .65 are stricter than mathematical rounding
    average = D(hundredths) / 100
    assert to_mark(average, THRESHOLDS) <= to_mark(average, HALF_UP)
