"""The settings pages and the group members' picker in a real browser."""

import datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from otmetka.access.models import Role, RoleMembership
from otmetka.accounts.models import User
from otmetka.curriculum.models import Course, CourseKind, CourseMember, Subject
from otmetka.people.models import Student
from otmetka.school.models import CalendarOverride, Enrollment, School
from tests.browser.conftest import browser, page  # noqa: F401  (the shared Chromium fixtures)
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, base_url: str, username: str) -> None:  # noqa: F811
    page.set_default_navigation_timeout(30_000)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{base_url}/")


def test_the_admin_changes_the_schools_time_zone_and_sees_the_status_page(
    page: Any,  # noqa: F811  (the shared fixture)
    live_server: Any,
    world: World,
) -> None:
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/setup/")
    page.click("text=Настройки школы")
    page.select_option("select[name=time_zone]", "Europe/Simferopol")
    page.fill("input[name=period_close_after_days]", "7")
    page.click("main form button[type=submit]")
    expect(page.locator("main")).to_contain_text("Сохранено.")
    school = School.objects.get(pk=world.school.pk)
    assert (school.time_zone, school.period_close_after_days) == ("Europe/Simferopol", 7)
    page.goto(f"{live_server.url}/setup/")
    page.click("text=Состояние системы")
    expect(page.locator("h1")).to_have_text("Состояние системы")
    expect(page.locator("tr[data-state]")).to_have_count(6)
    expect(page.locator("tr", has_text="База данных")).to_contain_text("работает")


def test_the_region_operator_adds_crimeas_days_and_a_quarantine(
    page: Any,  # noqa: F811  (the shared fixture)
    live_server: Any,
    world: World,
) -> None:
    region = world.school.district.region
    user = User(username="operator", last_name="Календарёва", first_name="Ольга")
    user.set_password(PASSWORD)
    user.save()
    RoleMembership.objects.create(user=user, role=Role.REGION_OPERATOR, region=region)
    log_in(page, live_server.url, "operator")
    page.click("text=Дни отдыха, рабочие дни и карантины школ региона")
    expect(page.locator("h1")).to_contain_text("Республика Крым")
    page.click("text=Добавить региональные дни из поставки")
    expect(page.locator("main")).to_contain_text("Добавлено дней из поставки")
    expect(page.locator("table.region-calendar")).to_contain_text("18.03.2025")
    page.fill("input[name=date]", "2027-02-01")
    page.select_option("select[name=kind]", "quarantine")
    page.fill("input[name=reason]", "Приказ МОНМ РК о карантине")
    page.fill("input[name=min_grade]", "1")
    page.fill("input[name=max_grade]", "4")
    page.locator("form.setup-form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Сохранено.")
    row = CalendarOverride.objects.get(region=region, date=datetime.date(2027, 2, 1))
    assert (row.kind, row.max_grade) == ("quarantine", 4)


def test_group_members_are_picked_by_class_with_a_search(
    page: Any,  # noqa: F811  (the shared fixture)
    live_server: Any,
    world: World,
) -> None:
    chess = Subject.objects.create(school=world.school, name="Шахматы", position=50)
    group = Course.objects.create(
        school=world.school, year=world.year, subject=chess, kind=CourseKind.EXTRACURRICULAR,
        name="5–7 кл.", assessment="none",
    )  # fmt: skip
    for i in range(30):
        student = Student.objects.create(school=world.school, last_name=f"Ученик{i:02d}")
        Enrollment.objects.create(
            school=world.school, student=student, school_class=world.class_7b,
            start=datetime.date(2026, 9, 1),
        )  # fmt: skip
    log_in(page, live_server.url, "deputy")
    page.goto(f"{live_server.url}/curriculum/courses/{group.pk}/")
    members = page.locator("#id_members input[type=checkbox]")
    visible = page.locator("#id_members input[type=checkbox]:visible")
    assert members.count() == 32
    expect(visible).to_have_count(0)  # nothing ticked yet: nothing listed
    page.locator(".member-picker select").select_option("7А")
    expect(visible).to_have_count(1)
    page.locator(".member-picker input[type=search]").fill("иванов")
    expect(visible).to_have_count(1)
    visible.first.check()
    page.locator(".member-picker select").select_option("*")
    page.locator(".member-picker input[type=search]").fill("ученик07")
    expect(visible).to_have_count(1)
    visible.first.check()
    expect(page.locator(".member-count")).to_have_text("Отмечено: 2")
    page.fill("input[name=members_from]", "2026-11-18")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Сохранено")
    names = set(
        CourseMember.objects.filter(course=group).values_list("student__last_name", flat=True)
    )
    assert names == {"Иванов", "Ученик07"}
