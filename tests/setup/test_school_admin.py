"""The superuser creates schools in Django's admin; a new school is ready for journals."""

from otmetka.accounts.models import User
from otmetka.journal.models import AbsenceCode, MarkKind
from otmetka.school.models import School


def test_a_school_created_in_the_admin_gets_default_mark_kinds_and_absence_codes(client, world):
    root = User.objects.create_superuser("root", password="x-Otmetka-2026")
    client.force_login(root)
    response = client.post(
        "/django-admin/school/school/add/",
        {
            "district": world.school.district_id,
            "name": "МБОУ «Новая СШ»",
            "short_name": "Новая СШ",
            "time_zone": "Europe/Simferopol",
            "six_day_from_grade": 0,
            "period_close_after_days": 10,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    school = School.objects.get(short_name="Новая СШ")
    codes = set(AbsenceCode.objects.filter(school=school).values_list("code", flat=True))
    assert {"н", "б", "у", "нп", "оп"} <= codes
    assert MarkKind.objects.filter(school=school, name="Контрольная работа").exists()
