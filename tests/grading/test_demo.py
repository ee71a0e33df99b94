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
    marks = PeriodMark.objects.filter(school=school, period__isnull=False)  # year marks: debts
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


def test_the_demo_has_debts_a_retake_and_a_conditional_transfer(db: None) -> None:
    from otmetka.grading.models import AcademicDebt, ConditionalTransfer, Retake

    demo = generate(seed=7, classes_per_grade=(1, 1), students_per_class=5,
                    today=datetime.date(2026, 11, 18))  # fmt: skip
    school = demo.schools[0]
    debts = AcademicDebt.objects.filter(school=school)
    assert debts.count() == 3 and set(debts.values_list("status", flat=True)) == {"open"}
    assert Retake.objects.filter(debt__school=school, number=1, result="2").count() == 1
    transfer = ConditionalTransfer.objects.get(school=school)
    assert debts.filter(student_id=transfer.student_id).count() == 2
    deputy = next(a for a in demo.accounts if a.key == "deputy")
    client = Client()
    client.force_login(deputy.user)
    page = client.get("/grading/debts/").content.decode()
    assert "Академические задолженности" in page and "112-у" in page
