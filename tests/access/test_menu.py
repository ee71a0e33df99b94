"""The main menu shows each persona the sections it may open, and nothing else."""

import pytest
from django.test import Client
from django.urls import reverse

from otmetka.access.menu import MENU as MENU_ENTRIES
from otmetka.access.menu import SETUP_RESOURCES
from otmetka.accounts.models import User
from otmetka.setup.registry import KINDS
from tests.people.helpers import pe_course
from tests.world import PERSONAS, World

MENU = {
    "admin": [
        "Журналы",
        "Расписание",
        "Нагрузка учителей",
        "Настройка школы",
        "Персональные данные",
        "Сайт школы",
    ],
    "deputy": [
        "Журналы",
        "Расписание",
        "Нагрузка учителей",
        "Замещения",
        "Настройка школы",
        "Сайт школы",
    ],
    "director": [
        "Журналы",
        "Расписание",
        "Нагрузка учителей",
        "Настройка школы",
        "Персональные данные",
        "Сайт школы",
    ],
    "secretary": ["Расписание", "Настройка школы", "Персональные данные"],
    "teacher_7a_math": ["Журналы", "Расписание", "Настройка школы"],
    "student_7a": [],
    "guardian_7a": [],
    "nurse": ["Настройка школы", "Персональные данные"],
    "web_editor": ["Сайт школы"],
    "region_viewer": [
        "Расписание",
        "Нагрузка учителей",
        "Настройка школы",
        "Своевременность по школам",
    ],
    "outsider": [],
}
ALL = {
    "Журналы",
    "Расписание",
    "Нагрузка учителей",
    "Замещения",
    "Настройка школы",
    "Персональные данные",
    "Сайт школы",
    "Своевременность по школам",
}


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


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_menu_link_shows_exactly_when_its_page_answers_200(client_for, persona):
    """Every menu link opens (200), and every section whose page opens has its link."""
    client = client_for(persona)
    page = client.get("/").content.decode()
    menu = page.split('class="main-menu"')[1].split("</nav>")[0] if "main-menu" in page else ""
    shown = {part.split('"')[0] for part in menu.split('href="')[1:]}
    opens = {url for url in (reverse(name) for name, _label, _test in MENU_ENTRIES)}
    opens = {url for url in opens if client.get(url).status_code == 200}
    assert shown == opens


def test_the_setup_link_reads_the_resources_of_the_setup_pages() -> None:
    assert sorted(SETUP_RESOURCES) == sorted({spec.resource for spec in KINDS.values()})


def test_the_pe_teacher_has_the_personal_data_link_to_their_classes_pe_groups(
    world: World,
) -> None:
    """A teacher of physical education (no homeroom class) reads the PE groups of their classes:
    the menu links the section, and it lists exactly those classes."""

    def client() -> Client:  # a fresh user row, as a login reads it (no cached roles)
        made = Client()
        made.force_login(User.objects.get(pk=world.user("teacher_7b").pk))
        return made

    assert ">Персональные данные</a>" not in client().get("/").content.decode()
    pe_course(world)
    page = client().get("/").content.decode()
    assert ">Персональные данные</a>" in page.split('class="main-menu"')[1].split("</nav>")[0]
    people = client().get(reverse("people:index"))
    assert people.status_code == 200
    links = people.content.decode()
    assert f'href="/people/class/{world.class_7a.pk}/"' in links
    assert f'href="/people/class/{world.class_7b.pk}/"' not in links
