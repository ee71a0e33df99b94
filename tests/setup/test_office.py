"""The school office (issue 15): login slips in bulk (PDF), the secretary's new passwords, the
import of students with guardians (dry run, all or nothing, row-by-row report), search and
filters of the people lists, and the departure's order on the student's card."""

import datetime
import io
import re
import zlib
from collections.abc import Callable

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from otmetka.accounts.models import User
from otmetka.audit.models import Event
from otmetka.people.models import Guardian, Staff, Student
from otmetka.people.snils import snils_valid
from otmetka.school.models import Enrollment
from tests.setup.conftest import page_text
from tests.world import World

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The text drawn in a PDF's content streams (fpdf2 compresses them with zlib)."""
    out = []
    # fpdf2 writes "stream\n<data>\nendstream": no "\r?" before "endstream", where the compressed
    # data's last byte (a checksum byte, random with the slips' passwords) was taken for a line
    # end one time in 256, the stream cut and its text lost.
    for stream in re.findall(rb"stream\r?\n(.*?)\nendstream", content, re.S):
        try:
            out.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out)


def totals() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (User, Student, Enrollment, Guardian, Event))


# --- bulk slips -------------------------------------------------------------------------------


def test_admin_prints_slips_for_a_class_with_one_audit_event(
    world: World, client_for: Callable
) -> None:
    Student.objects.create(school=world.school, last_name="Новиков", first_name="Олег")
    no_login = Student.objects.get(last_name="Новиков")
    Enrollment.objects.create(
        school=world.school, student=no_login, school_class=world.class_7a, start=world.year.start
    )
    response = client_for("admin").post(
        "/setup/credentials/",
        {"target": f"class:{world.class_7a.pk}", "students": "on", "guardians": "on",
         "only_new": "on"},
    )  # fmt: skip
    assert response.status_code == 200, page_text(response)
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content)
    no_login.refresh_from_db()
    assert no_login.user is not None and no_login.user.username == "novikov.o"
    for login in ("pupil7a", "parent7a", "novikov.o"):
        assert f"({login})" in text
    assert "(pupil7b)" not in text  # 7Б is not the target
    events = Event.objects.filter(action="passwords_issue")
    assert events.count() == 1
    listed = {u["login"] for u in events.get().after["users"]}
    assert listed == {"pupil7a", "parent7a", "novikov.o"}
    for login in listed:
        user = User.objects.get(username=login)
        assert user.must_change_password and user.has_usable_password()


def test_slips_are_not_reissued_to_people_who_have_logged_in_or_work_at_school(
    world: World, client_for: Callable
) -> None:
    User.objects.filter(username="parent7a").update(last_login=timezone.now())
    Staff.objects.create(school=world.school, user=world.user("student_7b"), position="лаборант")
    data = {"target": "school", "students": "on", "guardians": "on", "only_new": "on"}
    response = client_for("secretary").post("/setup/credentials/", data)
    text = pdf_text(response.content)
    assert "(pupil7a)" in text
    assert "(parent7a)" not in text and "(pupil7b)" not in text


def test_slips_with_nobody_left_write_nothing(world: World, client_for: Callable) -> None:
    User.objects.update(last_login=timezone.now())
    before = totals()
    data = {"target": f"class:{world.class_7b.pk}", "students": "on", "only_new": "on"}
    response = client_for("admin").post("/setup/credentials/", data)
    assert response.status_code == 200
    assert "Некому выдавать" in page_text(response)
    assert totals() == before


@pytest.mark.parametrize(
    "data",
    [
        {"target": "class:999999999999999999999", "students": "on"},
        {"target": "school"},
        {"target": "grade:\x00"},
    ],
)
def test_slips_refuse_bad_input_with_nothing_written(
    world: World, client_for: Callable, data: dict
) -> None:
    before = totals()
    response = client_for("admin").post("/setup/credentials/", data)
    assert response.status_code in (200, 400)
    assert "application/pdf" not in response["Content-Type"]
    assert totals() == before


# --- one person's new password ----------------------------------------------------------------


def test_secretary_reissues_a_students_and_a_guardians_password(
    world: World, client_for: Callable
) -> None:
    client = client_for("secretary")
    for kind, pk in (("student", world.pupil_7b.pk), ("guardian", world.guardian_link.pk)):
        response = client.post(f"/setup/{kind}/{pk}/password/")
        assert response.status_code == 200
        assert 'class="secret"' in page_text(response)
    assert client.post(f"/setup/staff/{Staff.objects.first().pk}/password/").status_code == 403


def test_secretary_cannot_reset_a_staff_members_password_through_their_child(
    world: World, client_for: Callable
) -> None:
    link = Guardian.objects.create(
        school=world.school, student=world.pupil_7b, user=world.user("admin")
    )
    response = client_for("secretary").post(f"/setup/guardian/{link.pk}/password/")
    assert response.status_code == 302
    assert not User.objects.get(username=world.user("admin").username).must_change_password


# --- import -----------------------------------------------------------------------------------

HEADER = ["ФИО", "Дата рождения", "Класс", "СНИЛС", "Мать", "Телефон матери", "E-mail матери"]
GOOD = [
    ["Смирнова Анна Петровна", "12.03.2013", "7А", "112-233-445 95", "Смирнова Ольга Ивановна",
     "8 (912) 345-67-89", "olga@example.ru"],
    ["Смирнов Пётр Петрович", "05.05.2015", "7Б", "", "Смирнова Ольга Ивановна",
     "+7 912 345 67 89", ""],
]  # fmt: skip


def xlsx(rows: list[list]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("people.xlsx", data.getvalue())


def post_import(client: object, rows: list[list], action: str) -> object:
    data = {"file": xlsx(rows), "start": "01.11.2026", "order_ref": "№ 12 от 01.11.2026"}
    return client.post("/setup/student/import/", {**data, "action": action})  # type: ignore[attr-defined]


def test_snils_checksum() -> None:
    assert snils_valid("112-233-445 95")
    assert not snils_valid("112-233-445 96")


def test_dry_run_shows_the_plan_and_writes_nothing(world: World, client_for: Callable) -> None:
    before = totals()
    response = post_import(client_for("secretary"), [HEADER, *GOOD], "check")
    assert response.status_code == 200
    text = page_text(response)
    assert "ничего не записано" in text and "Смирнова Анна Петровна" in text
    assert totals() == before


def test_import_creates_students_enrollments_and_one_guardian_for_two_children(
    world: World, client_for: Callable
) -> None:
    response = post_import(client_for("admin"), [HEADER, *GOOD], "import")
    assert response.status_code == 200, page_text(response)
    anna = Student.objects.get(last_name="Смирнова", first_name="Анна")
    assert anna.snils == "112-233-445 95" and anna.birth_date == datetime.date(2013, 3, 12)
    enrollment = Enrollment.objects.get(student=anna)
    assert enrollment.school_class == world.class_7a and enrollment.order_ref.startswith("№ 12")
    links = Guardian.objects.filter(user__last_name="Смирнова", user__first_name="Ольга")
    assert links.count() == 2 and len({link.user_id for link in links}) == 1
    link = links.get(student=anna)
    assert link.relation == "mother" and link.phone == "+79123456789"
    assert link.user.email == "olga@example.ru" and not link.user.has_usable_password()
    assert Event.objects.filter(action="people_import").count() == 1
    assert Event.objects.filter(action="student_create").count() == 2
    # The same file again finds both students by name and date of birth: nothing new.
    before = totals()
    response = post_import(client_for("admin"), [HEADER, *GOOD], "import")
    assert response.status_code == 200
    assert totals()[:4] == before[:4]


def test_import_with_bad_rows_reports_each_and_writes_nothing(
    world: World, client_for: Callable
) -> None:
    bad = [
        ["Смирнова", "31.02.2013", "7Я", "123", "", "89123456789", ""],
        ["Смирнова Анна Петровна", "12.03.2013", "7А", "", "Смирнова О", "12345", "nope"],
        GOOD[0],
        GOOD[0],
    ]
    before = totals()
    response = post_import(client_for("admin"), [HEADER, *bad], "import")
    assert response.status_code == 400
    text = page_text(response)
    assert "ничего не импортировано" in text.lower()
    for message in (
        "фамилию и имя",
        "не дата",
        "нет класса «7Я»",
        "СНИЛС",
        "без имени",
        "не российский номер",
        "адрес электронной почты",
        "строке 4",
    ):
        assert message in text, message  # fmt: skip
    assert totals() == before


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01PK",
        b"PK\x03\x04broken",
        "ФИО;Класс\nИванов Иван;7А".encode(),
        b"a" * 3_000_000,
    ],
)
def test_import_refuses_files_that_are_not_tables(
    world: World, client_for: Callable, content: bytes
) -> None:
    before = totals()
    data = {"file": SimpleUploadedFile("x.csv", content), "start": "01.11.2026", "action": "import"}
    response = client_for("admin").post("/setup/student/import/", data)
    assert response.status_code in (200, 400)
    assert totals() == before


def test_import_reads_csv_in_windows_1251(world: World, client_for: Callable) -> None:
    text = "ФИО;Дата рождения;Класс\nКозлов Илья;01.01.2014;7б\n"
    data = {"file": SimpleUploadedFile("x.csv", text.encode("cp1251")), "start": "01.11.2026"}
    response = client_for("admin").post("/setup/student/import/", {**data, "action": "import"})
    assert response.status_code == 200, page_text(response)
    assert Enrollment.objects.filter(
        student__last_name="Козлов", school_class=world.class_7b
    ).exists()


# --- search and filters -----------------------------------------------------------------------


def listed(response: object) -> str:
    return page_text(response).split("<tbody>")[-1] if "<tbody>" in page_text(response) else ""


def test_students_are_found_by_name_whatever_the_case_and_yo(
    world: World, client_for: Callable
) -> None:
    Student.objects.create(school=world.school, last_name="Ёлкина", first_name="Алёна")
    client = client_for("secretary")
    for q in ("ЕЛКИНА", "елк ал", "алена"):
        body = listed(client.get("/setup/student/", {"q": q}))
        assert "Ёлкина" in body and "Петрова" not in body, q
    body = listed(client.get("/setup/student/", {"q": "ёлкина дарья"}))
    assert "Ёлкина" not in body


def test_people_lists_filter_by_class_and_role_and_paging_keeps_the_filters(
    world: World, client_for: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    from otmetka.setup import views

    client = client_for("admin")
    body = listed(client.get("/setup/student/", {"school_class": world.class_7b.pk}))
    assert "Петрова" in body and "Иванов" not in body
    body = listed(client.get("/setup/guardian/", {"school_class": world.class_7a.pk, "q": "иван"}))
    assert "Иванова" in body
    body = listed(client.get("/setup/staff/", {"role": "nurse"}))
    assert body.count("<tr>") == 1
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    for i in range(3):
        Student.objects.create(school=world.school, last_name=f"Петров{i}", first_name="Ян")
    page = page_text(client.get("/setup/student/", {"q": "петров"}))
    assert "q=%D0%BF%D0%B5%D1%82%D1%80%D0%BE%D0%B2&amp;page=2" in page
    assert client.get("/setup/student/", {"q": "\x00", "school_class": "9" * 30}).status_code == 200


@pytest.mark.parametrize("extra", [2, 30])
def test_the_filtered_student_list_costs_the_same_queries_whatever_its_size(
    world: World, client_for: Callable, django_assert_num_queries: Callable, extra: int
) -> None:
    for i in range(extra):
        s = Student.objects.create(school=world.school, last_name=f"Сидоров{i}", first_name="Ян")
        Enrollment.objects.create(
            school=world.school, student=s, school_class=world.class_7b, start=world.year.start
        )
    client = client_for("secretary")
    client.get("/setup/student/")  # the session's auth context is cached on the first page
    with django_assert_num_queries(QUERIES):
        client.get("/setup/student/", {"q": "сидоров", "school_class": world.class_7b.pk})


QUERIES = 8  # was 9 with the user read apart from the session


def test_a_departure_shows_its_order_on_the_card(world: World, client_for: Callable) -> None:
    client = client_for("secretary")
    response = client.post(
        f"/setup/student/{world.pupil_7b.pk}/depart/",
        {"end": "20.11.2026", "order_ref": "№ 77 от 20.11.2026"},
    )
    assert response.status_code == 302
    card = page_text(client.get(f"/setup/student/{world.pupil_7b.pk}/"))
    assert "№ 77 от 20.11.2026" in card
