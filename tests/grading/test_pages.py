"""The period marks page and the marking policy page over HTTP."""

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from otmetka.audit.models import Event
from otmetka.grading.models import MarkingPolicy, PeriodMark
from tests.grading.conftest import GradingWorld, add_students, give_marks

Clients = Callable[[str | None], Client]


def _url(gw: GradingWorld, period: object = None) -> str:
    period = gw.q2.pk if period is None else period
    return f"/grading/course/{gw.world.course_7a_math.pk}/?period={period}"


def test_the_teacher_sees_suggestions_and_the_too_few_warning(
    grading: GradingWorld, client_for: Clients
) -> None:
    pupil = grading.world.pupil_7a
    give_marks(grading, pupil.pk, [("5", grading.answer), ("4", grading.test)])
    client = client_for("teacher_7a_math")
    html = client.get(_url(grading)).content.decode()
    assert "Иванов Иван" in html and "4,25" in html
    assert 'data-suggestion="4"' in html and 'data-accept="' in html
    assert "Недостаточно отметок" not in html  # the quarter ends in 42 days, warned from 14
    MarkingPolicy.objects.create(school=grading.world.school, warn_days=45)
    html = client.get(_url(grading)).content.decode()
    assert "Недостаточно отметок" in html  # 2 marks < 3 for 1 hour a week
    assert 'name="reason"' not in html  # the teacher of an open period states no reason
    assert "grading/period_marks.js" in html


def test_saving_from_the_form_and_the_difference_shown(
    grading: GradingWorld, client_for: Clients
) -> None:
    pupil = grading.world.pupil_7a
    give_marks(grading, pupil.pk, [("5", grading.answer), ("5", grading.answer)])
    client = client_for("teacher_7a_math")
    response = client.post(_url(grading), {f"v_{pupil.pk}": "4", f"r_{pupil.pk}": "",
                                           f"b_{pupil.pk}": ""})  # fmt: skip
    assert response.status_code == 302
    mark = PeriodMark.objects.get(student=pupil)
    assert (mark.value, mark.suggested) == ("4", "5")
    html = client.get(_url(grading)).content.decode()
    assert 'class="differs"' in html and "≠ 5" in html


def test_a_bad_value_is_refused_with_a_russian_message(
    grading: GradingWorld, client_for: Clients
) -> None:
    pupil = grading.world.pupil_7a
    response = client_for("teacher_7a_math").post(_url(grading), {f"v_{pupil.pk}": "5+"})
    assert response.status_code == 400
    assert "плюсом или минусом" in response.content.decode() or "плюс" in response.content.decode()
    assert 'value="5+"' in response.content.decode()  # what was typed stays in the cell
    assert not PeriodMark.objects.exists()


def test_the_deputy_corrects_a_closed_quarter_with_a_reason(
    grading: GradingWorld, client_for: Clients
) -> None:
    pupil = grading.world.pupil_7a
    client = client_for("deputy")
    url = _url(grading, grading.q1.pk)
    assert 'name="reason"' in client.get(url).content.decode()
    assert client.post(url, {f"v_{pupil.pk}": "3"}).status_code == 400
    assert client.post(url, {f"v_{pupil.pk}": "3", "reason": "Апелляция"}).status_code == 302
    assert Event.objects.get(action="period_mark_add").reason == "Апелляция"
    teacher = client_for("teacher_7a_math")
    assert "disabled" in teacher.get(url).content.decode()
    assert teacher.post(url, {f"v_{pupil.pk}": "5"}).status_code == 403


def test_year_page_and_unknown_periods(grading: GradingWorld, client_for: Clients) -> None:
    client = client_for("teacher_7a_math")
    html = client.get(_url(grading, "year")).content.decode()
    assert "1 четверть" in html and "4 четверть" in html
    assert client.get(_url(grading, "99999")).status_code == 404
    assert client.get(_url(grading, "x")).status_code == 404
    other = grading.world.other_school
    assert client.get(f"/grading/course/{2**63}/").status_code == 404
    assert client.get(f"/grading/course/{other.pk + 1000}/").status_code == 404


def test_queries_do_not_grow_with_the_class(grading: GradingWorld, client_for: Clients) -> None:
    client = client_for("teacher_7a_math")
    counts = []
    for extra in (1, 28):  # 2, then 30 students
        students = add_students(grading.world, extra)
        for s in students:
            give_marks(grading, s.pk, [("4", grading.answer), ("5", grading.test)])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(grading)).status_code == 200
        counts.append(len(ctx))
        PeriodMark.objects.all().delete()
    assert counts[0] == counts[1]


def test_the_deputy_sets_the_policy_and_the_director_reads_it(
    grading: GradingWorld, client_for: Clients
) -> None:
    data = {
        "mean": "simple", "rounding": "thresholds", "threshold_5": "4.65", "threshold_4": "3.65",
        "threshold_3": "2.65", "min_short_1h": 3, "min_short_2h": 5, "min_short_3h": 7,
        "min_half_1h": 5, "min_half_2h": 8, "min_half_3h": 10, "warn_days": 10,
        "year_rule": "periods", "attestation_kind": "", "attestation_weight": "1",
    }  # fmt: skip
    deputy = client_for("deputy")
    assert deputy.get("/grading/policy/").status_code == 200
    assert deputy.post("/grading/policy/?grade=7", data).status_code == 302
    policy = MarkingPolicy.objects.get(school=grading.world.school, grade=7)
    assert (policy.mean, policy.rounding) == ("simple", "thresholds")
    assert Event.objects.filter(action="policy_add").exists()
    bad = deputy.post("/grading/policy/", {**data, "threshold_4": "4.70"})
    assert bad.status_code == 400 and not MarkingPolicy.objects.filter(grade=None).exists()
    director = client_for("director")
    assert director.get("/grading/policy/").status_code == 200
    assert director.post("/grading/policy/", data).status_code == 403
    for persona in ("teacher_7a_math", "teacher_other_school", "guardian_7a", None):
        assert client_for(persona).get("/grading/policy/").status_code in (302, 404)
