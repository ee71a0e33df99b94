"""The main menu shows each persona the sections it may open, and nothing else."""

import pytest

MENU = {
    "admin": ["Журналы", "Расписание", "Нагрузка", "Настройка школы"],
    "deputy": ["Журналы", "Расписание", "Нагрузка", "Замещения", "Настройка школы"],
    "director": ["Журналы", "Расписание", "Настройка школы"],
    "secretary": ["Расписание", "Настройка школы"],
    "teacher_7a_math": ["Журналы", "Расписание"],
    "student_7a": [],
    "guardian_7a": [],
    "nurse": [],
    "region_viewer": [],
}
ALL = {"Журналы", "Расписание", "Нагрузка", "Замещения", "Настройка школы"}


@pytest.mark.parametrize("persona", MENU)
def test_the_menu_lists_exactly_the_sections_the_persona_may_open(client_for, persona):
    page = client_for(persona).get("/").content.decode()
    menu = page.split('class="main-menu"')[1].split("</nav>")[0] if MENU[persona] else ""
    assert [label for label in MENU[persona] if label in menu] == MENU[persona]
    for label in ALL - set(MENU[persona]):
        assert f">{label}</a>" not in page


@pytest.mark.parametrize("persona", [p for p, items in MENU.items() if items])
def test_every_menu_link_opens_for_the_persona(client_for, persona):
    client = client_for(persona)
    page = client.get("/").content.decode()
    menu = page.split('class="main-menu"')[1].split("</nav>")[0]
    hrefs = [part.split('"')[0] for part in menu.split('href="')[1:]]
    assert hrefs and all(client.get(href).status_code == 200 for href in hrefs)
