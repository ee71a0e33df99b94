"""The home page: one block per role of the user in the current school, with real data."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from otmetka.curriculum.models import Course, Subject
from otmetka.school.models import Enrollment
from tests.home.helpers import sections
from tests.world import PERSONAS, World

ClientFor = Callable[[str | None], Client]

EXPECTED_SECTIONS = {
    "admin": ["admin"],
    "deputy": ["deputy"],
    "director": ["director"],
    "secretary": ["secretary"],
    "nurse": ["nurse"],
    "web_editor": ["web_editor"],
    "teacher_7a_math": ["teacher"],
    "teacher_7b": ["teacher"],
    "homeroom_7a": ["teacher", "homeroom"],
    "student_7a": ["student"],
    "student_7b": ["student"],
    "guardian_7a": ["guardian"],
    "teacher_other_school": ["teacher"],
    "region_viewer": ["region_viewer"],
    "outsider": [],
}


def home(client_for: ClientFor, persona: str) -> dict[str, str]:
    response = client_for(persona).get("/")
    assert response.status_code == 200
    return sections(response.content.decode())


def test_every_persona_has_an_expected_set_of_blocks() -> None:
    assert set(EXPECTED_SECTIONS) == set(PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_exactly_the_blocks_of_their_roles(
    client_for: ClientFor, persona: str
) -> None:
    assert list(home(client_for, persona)) == EXPECTED_SECTIONS[persona]


def test_anonymous_visitor_is_sent_to_the_login_page(client: Client, world: World) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_outsider_is_told_to_ask_the_administrator(client_for: ClientFor) -> None:
    html = client_for("outsider").get("/").content.decode()
    assert "У вас пока нет роли ни в одной школе" in html


def test_teacher_sees_own_courses_grouped_by_class_with_hours(
    client_for: ClientFor, world: World
) -> None:
    teacher = world.user("teacher_7a_math")
    algebra = Subject.objects.create(school=world.school, name="Алгебра", position=11)
    extra = Course.objects.create(
        school=world.school,
        year=world.year,
        subject=algebra,
        school_class=world.class_7b,
        hours_per_week=3,
    )
    extra.teachers.add(teacher)
    block = home(client_for, "teacher_7a_math")["teacher"]
    assert "Мои классы и предметы" in block
    assert (
        block.index("7А") < block.index("Математика") < block.index("7Б") < block.index("Алгебра")
    )
    assert "Русский язык" not in block  # 7Б Russian is another teacher's course
    assert block.count('class="class-group"') == 2
    assert ">4<" in block  # 1 + 3 hours a week in total


def test_teacher_without_courses_is_told_so(client_for: ClientFor) -> None:
    block = home(client_for, "homeroom_7a")["teacher"]
    assert "В этом учебном году у вас пока нет нагрузки." in block


def test_homeroom_teacher_sees_numbered_class_list_with_guardian_counts(
    client_for: ClientFor, world: World
) -> None:
    block = home(client_for, "homeroom_7a")["homeroom"]
    assert "Мой класс 7А" in block
    assert "Сегодня в классе 1 обучающийся" in block
    assert "<th>№</th><th>Обучающийся</th><th>Родители</th>" in block
    assert "<td>1</td><td>Иванов Иван Иванович</td><td>1</td>" in block
    assert "Петрова" not in block  # 7Б


def test_homeroom_list_leaves_out_a_student_who_left_yesterday(
    client_for: ClientFor, world: World
) -> None:
    Enrollment.objects.filter(student=world.pupil_7a).update(end=datetime.date(2026, 11, 17))
    block = home(client_for, "homeroom_7a")["homeroom"]
    assert "Иванов" not in block
    assert "На сегодня в классе нет зачисленных обучающихся." in block


def test_homeroom_count_uses_russian_plural_forms(client_for: ClientFor, world: World) -> None:
    from tests.home.helpers import fill_class

    fill_class(world.class_7a, 2)
    assert "Сегодня в классе 2 обучающихся" in home(client_for, "homeroom_7a")["homeroom"]


def test_guardian_sees_their_child_with_class_and_homeroom_teacher(
    client_for: ClientFor, world: World
) -> None:
    block = home(client_for, "guardian_7a")["guardian"]
    assert "Мои дети" in block
    assert "Иванов Иван Иванович" in block
    assert "Класс 7А, классный руководитель — Классная Елена Викторовна" in block
    assert "Петрова" not in block


def test_student_sees_class_homeroom_teacher_and_subjects(
    client_for: ClientFor, world: World
) -> None:
    block = home(client_for, "student_7a")["student"]
    assert "Мой класс и предметы" in block
    assert "Класс 7А, классный руководитель — Классная Елена Викторовна" in block
    assert "Математика" in block and "Числов М.А." in block
    assert "Русский язык" not in block


def test_student_of_a_class_without_homeroom_teacher_sees_just_the_class(
    client_for: ClientFor,
) -> None:
    block = home(client_for, "student_7b")["student"]
    assert "Класс 7Б" in block and "классный руководитель" not in block


def test_admin_sees_setup_counts_and_a_link_to_setup(client_for: ClientFor) -> None:
    block = home(client_for, "admin")["admin"]
    assert "Настройка школы" in block
    assert "Учебный год 2026/2027." in block
    assert "<dt>Классы</dt><dd>2</dd>" in block
    assert "<dt>Обучающиеся</dt><dd>2</dd>" in block
    assert "<dt>Сотрудники</dt><dd>9</dd>" in block
    assert "<dt>Предметы</dt><dd>2</dd>" in block


def test_deputy_sees_classes_with_student_counts_and_homeroom_teachers(
    client_for: ClientFor,
) -> None:
    block = home(client_for, "deputy")["deputy"]
    assert "Классы и нагрузка" in block
    assert "<tr><td>7А</td><td>1</td><td>Классная Е.В.</td></tr>" in block
    assert "не назначен" in block  # 7Б has no homeroom teacher
    assert "<dt>Журналы (нагрузка)</dt><dd>2</dd>" in block
    assert "<dt>Сотрудники</dt><dd>9</dd>" in block


def test_director_sees_school_totals(client_for: ClientFor, world: World) -> None:
    block = home(client_for, "director")["director"]
    assert "Школа в цифрах" in block
    assert "<dt>Обучающиеся</dt><dd>2</dd>" in block
    assert "<dt>Классы</dt><dd>2</dd>" in block
    assert "<dt>Родители с учётной записью</dt><dd>1</dd>" in block
    assert "<dt>Родители, входившие в систему</dt><dd>0</dd>" in block


def test_director_sees_guardians_who_have_logged_in(client_for: ClientFor, world: World) -> None:
    client_for("guardian_7a").get("/")  # force_login records the login time
    block = home(client_for, "director")["director"]
    assert "<dt>Родители, входившие в систему</dt><dd>1</dd>" in block


def test_secretary_and_nurse_see_students_by_grade(client_for: ClientFor, world: World) -> None:
    from tests.home.helpers import fill_class

    fill_class(world.class_7a, 5)
    for persona, heading in (("secretary", "Контингент"), ("nurse", "Обучающиеся по параллелям")):
        block = home(client_for, persona)[persona]
        assert heading in block
        assert "<tr><td>7</td><td>2</td><td>6</td></tr>" in block
        assert "Иванов" not in block


def test_web_editor_sees_the_website_queue_by_state(client_for: ClientFor) -> None:
    block = home(client_for, "web_editor")["web_editor"]
    assert "Сайт школы" in block and "На согласовании" in block and 'href="/portal/"' in block


def test_region_viewer_sees_schools_with_counts_but_no_personal_data(
    client_for: ClientFor,
) -> None:
    html = client_for("region_viewer").get("/").content.decode()
    block = sections(html)["region_viewer"]
    assert "Подведомственные школы" in block
    assert "<td>Сакский район</td><td>Столбовская СШ</td><td>2</td><td>2</td>" in block
    assert "<td>Сакский район</td><td>Орловская СШ</td><td>1</td><td>1</td>" in block
    for name in ("Иванов", "Петрова", "Сидоров", "Классная"):
        assert name not in html
