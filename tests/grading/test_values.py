"""Any text typed into a period mark cell is either a stored value or a Russian refusal."""

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otmetka.curriculum.models import AssessmentMode
from otmetka.grading.models import CODES
from otmetka.grading.services import period_value_clean
from otmetka.journal.validation import SCALES

# A shared, busy machine: generation and runs may be slow; correctness is what is tested.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

MODES = [AssessmentMode.POINTS_2_5, AssessmentMode.POINTS_1_5, AssessmentMode.PASS_FAIL]


@RELAXED
@given(
    st.sampled_from(MODES),
    st.one_of(st.text(max_size=300), st.sampled_from(["5", "н/а", "на", "осв", "зач", "4+"])),
    st.one_of(st.none(), st.sampled_from(["", "valid", "invalid", "x"]), st.text(max_size=20)),
    st.one_of(st.none(), st.text(max_size=300)),
)
def test_any_entry_is_a_value_of_the_scale_or_refused(
    mode: str, value: str, reason: str | None, basis: str | None
) -> None:
    try:
        cleaned = period_value_clean(mode, {"value": value, "na_reason": reason, "basis": basis})
    except ValidationError as exc:
        assert exc.messages and exc.messages[0]
        return
    assert cleaned["value"] in ("", *SCALES[mode], *CODES)
    if cleaned["value"] == "н/а":
        assert cleaned["na_reason"] in ("valid", "invalid")
    if cleaned["value"] == "осв":
        assert 0 < len(cleaned["basis"]) <= 200 and "\x00" not in cleaned["basis"]
