"""The demo's diary data: homework files in the demo family's classes, a student at risk in the
demo homeroom class and one with missing data; the demo parent reads the diary."""

import datetime
from pathlib import Path
from typing import Any

from django.test import Client

from otmetka.demo.generator import generate
from otmetka.demo.selectors import demo_users
from otmetka.diary.classes import class_roster, class_summary
from otmetka.diary.models import DiaryViewDay
from otmetka.journal.models import HomeworkFile
from otmetka.school.models import SchoolClass

TODAY = datetime.date(2026, 11, 18)


def test_the_demo_family_and_homeroom_class_have_diary_data(
    db: None, school_day: object, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    result = generate(seed=7, classes_per_grade=(1, 1), students_per_class=8, today=TODAY)
    users = demo_users(school=result.schools[0])
    assert HomeworkFile.objects.filter(school=result.schools[0]).exists()
    school_class = SchoolClass.objects.get(homeroom_teacher=users["homeroom"])
    summary = class_summary(school_class=school_class, chosen_period=None)
    assert any(row["risk"] for row in summary["rows"])
    assert any(
        "guardian_phone" in r["missing"] for r in class_roster(school_class=school_class)["rows"]
    )
    client = Client()
    client.force_login(users["guardian"])
    assert client.get("/diary/").status_code == 200
    # The parent's last visit was two days ago: the latest entries show as new; the school has
    # two weeks of guardians' views.
    week = client.get(f"/diary/?date={TODAY - datetime.timedelta(days=1)}").content.decode()
    assert "is-new" in week and "с прошлого визита" in week
    days = DiaryViewDay.objects.filter(school=result.schools[0])
    assert days.filter(day__lt=TODAY).count() == 14
    assert days.get(day=TODAY).views == 1  # the parent's view just now


def test_the_demo_has_consents_and_health_groups_for_the_personal_data_pages(
    db: None, school_day: object, settings: Any, tmp_path: Path
) -> None:
    from otmetka.people.models import Consent, HealthRecord

    settings.MEDIA_ROOT = str(tmp_path)
    result = generate(seed=7, classes_per_grade=(1, 1), students_per_class=8, today=TODAY)
    school = result.schools[0]
    users = demo_users(school=school)
    assert HealthRecord.objects.filter(school=school).exists()
    assert Consent.objects.filter(school=school, kind="publication").exists()
    client = Client()
    client.force_login(users["homeroom"])
    school_class = SchoolClass.objects.filter(homeroom_teacher=users["homeroom"]).first()
    assert school_class is not None
    page = client.get(f"/people/class/{school_class.pk}/").content.decode()
    assert "не подтверждено в этом году" in page or "нет документа" in page
