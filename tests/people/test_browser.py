"""Personal data in a real browser: the nurse records a health group and a PE group from the
menu; the PE teacher sees the PE group alone and the director finds both reads in the log; the
homeroom teacher registers a consent to publication with its scan and withdraws it."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from otmetka.people.models import Consent, HealthRecord
from otmetka.people.privacy_selectors import has_publication_consent
from tests.browser.conftest import browser  # noqa: F401  (the shared Chromium fixture)
from tests.messaging.helpers import PDF
from tests.people.helpers import pe_course
from tests.world import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_as(browser: Any, live_server: Any) -> Iterator[Any]:  # noqa: F811
    """Log a persona in, each in a page of its own (own cookies)."""
    pages: list[Any] = []

    def log_in(username: str) -> Any:
        page = browser.new_page(locale="ru-RU", viewport={"width": 1280, "height": 800})
        pages.append(page)
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/accounts/login/")
        for field, value in (("username", username), ("password", PASSWORD)):
            page.fill(f"input[name={field}]", value)
        page.click("main form button[type=submit]")
        expect(page).to_have_url(f"{live_server.url}/")
        return page

    yield log_in
    for page in pages:
        page.context.close()


def test_the_nurse_records_a_group_and_the_pe_teacher_sees_only_the_pe_group(
    open_as: Any, world: World, live_server: Any
) -> None:
    pe_course(world)
    nurse = open_as("nurse")
    nurse.click("nav.main-menu >> text=Персональные данные")
    nurse.click("text=7А")
    nurse.click("text=Иванов Иван Иванович")
    expect(nurse.locator("#health h2")).to_have_text("Здоровье")
    nurse.select_option("#id_health_group", "3")
    nurse.select_option("#id_pe_group", "special_a")
    nurse.fill("#id_start", "2026-09-01")
    nurse.fill("#id_basis", "Справка ВК № 12 от 28.08.2026")
    nurse.click("button[name=health]")
    expect(nurse.locator(".messages")).to_contain_text("Сохранено.")
    expect(nurse.locator("[data-health-group]")).to_have_text("III")
    expect(nurse.locator("[data-pe-group]")).to_have_text("специальная А")
    expect(nurse.locator("#consents")).to_have_count(0)  # no consents or contacts for her
    assert HealthRecord.objects.get().basis == "Справка ВК № 12 от 28.08.2026"

    pe = open_as("teacher7b")
    pe.goto(f"{live_server.url}/people/class/{world.class_7a.pk}/")
    row = pe.locator(f"tr[data-student='{world.pupil_7a.pk}']")
    expect(row).to_contain_text("специальная А")
    expect(row).not_to_contain_text("III")
    pe.click("text=Иванов Иван Иванович")
    expect(pe.locator("[data-pe-group]")).to_have_text("специальная А")
    expect(pe.locator("main")).not_to_contain_text("Справка ВК")
    expect(pe.locator("[data-health-group]")).to_have_count(0)
    response = pe.goto(f"{live_server.url}/people/class/{world.class_7b.pk}/")
    assert response is not None and response.status == 404

    director = open_as("director")
    director.goto(f"{live_server.url}/people/reads/")
    director.fill("#id_reader", "teacher7b")
    director.click("main form button[type=submit]")
    log = director.locator("table.pd-reads tbody")
    expect(log).to_contain_text("Буквина Мария Сергеевна")
    expect(log).to_contain_text("Иванов Иван Иванович")
    expect(log).to_contain_text("сведения о здоровье")


def test_the_homeroom_teacher_registers_and_withdraws_a_consent(
    open_as: Any, world: World, live_server: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    teacher = open_as("homeroom7a")
    teacher.click("nav.main-menu >> text=Персональные данные")
    teacher.click("text=7А")
    row = teacher.locator(f"tr[data-student='{world.pupil_7a.pk}']")
    expect(row).to_contain_text("не подтверждено в этом году")
    teacher.click("text=Иванов Иван Иванович")
    teacher.select_option("#id_kind", "publication")
    teacher.fill("#id_signed_by", "Иванова Ирина Сергеевна")
    teacher.fill("#id_given_on", "2026-09-01")
    teacher.fill("#id_scope", "ФИО и фото на сайте школы, до окончания обучения")
    teacher.set_input_files(
        "#id_file", files=[{"name": "согласие.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    teacher.click("button[name=consent]")
    expect(teacher.locator(".messages")).to_contain_text("Сохранено.")
    consent = Consent.objects.get()
    assert has_publication_consent(world.pupil_7a)
    expect(teacher.locator(f"tr[data-consent='{consent.pk}']")).to_contain_text("согласие.pdf")

    teacher.locator(f"tr[data-consent='{consent.pk}'] button").click()
    expect(teacher.locator(".messages")).to_contain_text("Согласие отозвано.")
    expect(teacher.locator(f"tr[data-consent='{consent.pk}'] [data-withdrawn]")).to_have_text(
        "18.11.2026"
    )
    assert not has_publication_consent(world.pupil_7a)
    teacher.click("nav.main-menu >> text=Персональные данные")
    teacher.click("text=7А")
    row = teacher.locator(f"tr[data-student='{world.pupil_7a.pk}']")
    expect(row.locator("td").nth(3)).to_have_text("нет")
