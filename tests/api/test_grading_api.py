# ruff: noqa: F811  (the `grading` fixture of tests/grading is imported and used as an argument)
"""The period marks API: reads, a write through the page's service (all or nothing, audited,
a failing year mark opens a debt), and arbitrary JSON thrown at the write (never a 5xx, nothing
written when refused)."""

import json
from collections.abc import Callable
from typing import Any

from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from otmetka.audit.models import Event
from otmetka.grading.models import AcademicDebt, PeriodMark
from tests.api.test_fuzz import FUZZ, HOSTILE_INT, HOSTILE_TEXT, JSON, _mutate, _paths
from tests.grading.conftest import GradingWorld, give_marks, grading  # noqa: F401

Clients = Callable[[str | None], Client]


def _url(gw: GradingWorld) -> str:
    return f"/api/v1/grading/courses/{gw.world.course_7a_math.pk}/period-marks"


def _post(client: Client, url: str, body: Any) -> Any:
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, text, content_type="application/json")


def test_read_and_write_period_marks(grading: GradingWorld, client_for: Clients) -> None:
    pupil = grading.world.pupil_7a
    give_marks(grading, pupil.pk, [("5", grading.answer), ("4", grading.answer)])
    teacher = client_for("teacher_7a_math")
    data = teacher.get(f"{_url(grading)}?period={grading.q2.pk}").json()
    (row,) = data["rows"]
    assert (row["student"], row["suggestion"], row["value"], row["average"]) == (
        pupil.pk, "5", "", "4.50"
    )  # fmt: skip
    body = {"period": grading.q2.pk, "entries": [{"student": pupil.pk, "value": "4"}]}
    assert _post(teacher, _url(grading), body).json() == {"ok": True, "changed": 1}
    mark = PeriodMark.objects.get(student=pupil)
    assert (mark.value, mark.suggested) == ("4", "5")
    assert Event.objects.filter(action="period_mark_add").count() == 1
    (row,) = teacher.get(f"{_url(grading)}?period={grading.q2.pk}").json()["rows"]
    assert row["differs"] is True
    family = client_for("guardian_7a").get(f"/api/v1/grading/students/{pupil.pk}/period-marks")
    assert [(m["value"], m["period_id"]) for m in family.json()] == [("4", grading.q2.pk)]


def test_a_refused_batch_writes_nothing(grading: GradingWorld, client_for: Clients) -> None:
    pupil = grading.world.pupil_7a
    teacher = client_for("teacher_7a_math")
    body = {"period": grading.q2.pk, "entries": [{"student": pupil.pk, "value": "н/а"}]}
    response = _post(teacher, _url(grading), body)
    assert response.status_code == 400
    assert "причин" in response.json()["errors"][str(pupil.pk)]
    assert not PeriodMark.objects.exists() and not Event.objects.exists()


def test_a_failing_year_mark_opens_a_debt(grading: GradingWorld, client_for: Clients) -> None:
    pupil = grading.world.pupil_7a
    body = {"year": True, "entries": [{"student": pupil.pk, "value": "2"}]}
    assert _post(client_for("teacher_7a_math"), _url(grading), body).status_code == 200
    assert AcademicDebt.objects.filter(student=pupil, value="2", status="open").exists()


def test_another_schools_course_is_404(grading: GradingWorld, client_for: Clients) -> None:
    body = {"period": grading.q2.pk, "entries": []}
    response = _post(client_for("teacher_other_school"), _url(grading), body)
    assert response.status_code == 404


def _state() -> tuple:
    return (PeriodMark.objects.count(), Event.objects.count(), AcademicDebt.objects.count())


def _check(client: Client, url: str, body: str) -> None:
    before = _state()
    response = _post(client, url, body)
    assert response.status_code < 500, (body[:300], response.content[:300])
    if response.status_code >= 400:
        assert _state() == before, (body[:300], response.status_code)
        assert response.json()["detail"]


def test_arbitrary_json_at_the_write(grading: GradingWorld, client_for: Clients) -> None:
    teacher, url = client_for("teacher_7a_math"), _url(grading)

    @FUZZ
    @given(body=JSON)
    def run(body: Any) -> None:
        _check(teacher, url, json.dumps(body))

    run()


def test_valid_payloads_with_one_hostile_value(grading: GradingWorld, client_for: Clients) -> None:
    teacher, url = client_for("teacher_7a_math"), _url(grading)
    valid = {
        "period": grading.q2.pk, "year": False, "reason": "",
        "entries": [{"student": grading.world.pupil_7a.pk, "value": "н/а",
                     "na_reason": "valid", "basis": ""}],
    }  # fmt: skip

    @FUZZ
    @given(where=st.sampled_from(_paths(valid)), new=JSON | HOSTILE_INT | HOSTILE_TEXT)
    def run(where: list, new: Any) -> None:
        body = json.dumps(_mutate(valid, where, new))
        before = _state()
        response = _post(teacher, url, body)
        assert response.status_code < 500, (body[:300], response.content[:300])
        if response.status_code >= 400:
            assert _state() == before
        PeriodMark.objects.all().delete()  # the next example starts from no mark

    run()


def test_a_repeated_idempotency_key_writes_once(grading: GradingWorld, client_for: Clients) -> None:
    teacher = client_for("teacher_7a_math")
    body = json.dumps(
        {"period": grading.q2.pk, "entries": [{"student": grading.world.pupil_7a.pk, "value": "5"}]}
    )
    answers = [
        teacher.post(_url(grading), body, content_type="application/json",
                     headers={"Idempotency-Key": "pm-1"}).json()
        for _ in range(2)
    ]  # fmt: skip
    assert answers == [{"ok": True, "changed": 1}] * 2
    assert PeriodMark.objects.count() == 1 and Event.objects.count() == 1
