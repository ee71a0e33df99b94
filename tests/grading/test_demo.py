"""The demo school has period marks for its finished quarter, mostly the suggestions."""

import datetime

from django.test import Client

from otmetka.demo.generator import generate
from otmetka.grading.models import NA, PeriodMark
from otmetka.school.models import Period


def test_the_finished_quarter_has_period_marks(db: None) -> None:
    demo = generate(seed=7, classes_per_grade=(1, 1), students_per_class=5,
                    today=datetime.date(2026, 11, 18))  # fmt: skip
    school = demo.schools[0]
    q1 = Period.objects.get(school=school, scheme="quarters", number=1)
    marks = PeriodMark.objects.filter(school=school)
    assert marks.exists() and set(marks.values_list("period_id", flat=True)) == {q1.pk}
    values = set(marks.values_list("value", flat=True))
    assert values <= {"1", "2", "3", "4", "5", NA} and {"4", "5"} <= values
    same = marks.filter(value=models_f("suggested")).count()
    assert same / marks.count() > 0.8  # the teachers mostly accept the suggestion
    for mark in marks.filter(value=NA):
        assert mark.na_reason in ("valid", "invalid")
    deputy = next(a for a in demo.accounts if a.key == "deputy")
    client = Client()
    client.force_login(deputy.user)
    cls = marks.first().course.school_class
    page = client.get(f"/reports/gradesheet/{cls.pk}/?period={q1.pk}")
    assert page.status_code == 200 and "Сводная ведомость" in page.content.decode()


def models_f(name: str) -> object:
    from django.db.models import F

    return F(name)
