"""People of the school through the setup pages: hiring staff with roles and an issued password,
leaving, students' arrival, transfer and departure, logins, guardians, new passwords."""

import datetime
import re
from collections.abc import Callable

import pytest

from otmetka.access.models import RoleMembership
from otmetka.accounts.models import User
from otmetka.audit.models import Event
from otmetka.people.models import Guardian, Staff, Student
from otmetka.people.selectors import login_suggest, transliterate
from otmetka.school.models import Enrollment
from tests.setup.conftest import last_event, page_text
from tests.world import World


def issued_password(response: object) -> str:
    """The password printed on the credentials page (the second secret on it)."""
    secrets = re.findall(r'<code class="secret">([^<]+)</code>', page_text(response))
    assert len(secrets) == 2, page_text(response)
    return secrets[1]


def totals() -> tuple[int, ...]:
    models = (User, Staff, Student, Enrollment, Guardian, RoleMembership, Event)
    return tuple(m.objects.count() for m in models)


NEW_TEACHER = {
    "last_name": "Щукина",
    "first_name": "Юлия",
    "middle_name": "Сергеевна",
    "username": "",
    "email": "",
    "position": "Учитель физики",
    "hired_on": "01.09.2026",
    "roles": ["teacher"],
}


# --- staff ------------------------------------------------------------------------------------


def test_admin_hires_a_teacher_and_sees_the_issued_password_once(
    world: World, client_for: Callable
) -> None:
    client = client_for("admin")
    response = client.post("/setup/staff/new/", NEW_TEACHER)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    user = User.objects.get(username="shchukina.ys")
    password = issued_password(response)
    assert user.check_password(password) and user.must_change_password
    staff = Staff.objects.get(user=user, school=world.school)
    assert staff.position == "Учитель физики" and staff.hired_on == datetime.date(2026, 9, 1)
    assert set(RoleMembership.objects.filter(user=user).values_list("role", flat=True)) == {
        "teacher"
    }
    assert last_event("staff_create").after["position"] == "Учитель физики"
    assert last_event("role_grant").object_id
    assert last_event("password_issue").object_id == str(user.pk)
    later = client.get(f"/setup/staff/{staff.pk}/")
    assert password not in page_text(later)


def test_the_deputy_hires_staff_but_cannot_grant_roles(world: World, client_for: Callable) -> None:
    client = client_for("deputy")
    assert 'name="roles"' not in page_text(client.get("/setup/staff/new/"))
    response = client.post("/setup/staff/new/", {**NEW_TEACHER, "roles": ["admin"]})
    assert response.status_code == 200
    user = User.objects.get(username="shchukina.ys")
    assert not RoleMembership.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "щукина"}, "Логин может содержать только латинские буквы"),
        ({"username": "ADMIN"}, "Логин «ADMIN» уже занят."),
        ({"username": "a b"}, "Логин может содержать только латинские буквы"),
        ({"last_name": ""}, "Обязательное поле."),
        ({"hired_on": "31.02.2026"}, "Введите дату в формате ДД.ММ.ГГГГ."),
        ({"roles": ["region_viewer"]}, "Выберите корректный вариант."),
    ],
)
def test_bad_staff_input_shows_the_russian_message_and_writes_nothing(
    changes: dict, message: str, world: World, client_for: Callable
) -> None:
    before = totals()
    response = client_for("admin").post("/setup/staff/new/", {**NEW_TEACHER, **changes})
    assert response.status_code == 200
    assert message in page_text(response)
    assert totals() == before


def staff_form(staff: Staff, **changes: object) -> dict:
    user = staff.user
    data = {
        "last_name": user.last_name,
        "first_name": user.first_name,
        "middle_name": user.middle_name,
        "email": user.email,
        "position": staff.position,
        "hired_on": "",
        "left_on": "",
        "roles": list(RoleMembership.objects.filter(user=user).values_list("role", flat=True)),
    }
    return {**data, **changes}


def test_admin_edits_a_staff_record_with_before_and_after(
    world: World, client_for: Callable
) -> None:
    staff = world.user("teacher_7b").staff_records.get()
    url = f"/setup/staff/{staff.pk}/"
    response = client_for("admin").post(url, staff_form(staff, position="Учитель русского языка"))
    assert response.status_code == 302
    event = last_event("staff_update")
    assert event.before["position"] == "teacher_7b"
    assert event.after["position"] == "Учитель русского языка"


def test_leaving_ends_the_school_roles_and_is_audited(world: World, client_for: Callable) -> None:
    teacher = world.user("teacher_7b")
    staff = teacher.staff_records.get()
    url = f"/setup/staff/{staff.pk}/"
    response = client_for("admin").post(url, staff_form(staff, left_on="2026-11-18"))
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.left_on == datetime.date(2026, 11, 18)
    assert not RoleMembership.objects.filter(user=teacher, school=world.school).exists()
    revoked = last_event("role_revoke")
    assert revoked.before["role"] == "teacher" and revoked.after is None
    assert client_for("teacher_7b").get("/setup/year/").status_code == 404


def test_leaving_before_hiring_is_refused(world: World, client_for: Callable) -> None:
    staff = world.user("teacher_7b").staff_records.get()
    before = totals()
    data = staff_form(staff, hired_on="2026-09-01", left_on="2026-08-01")
    response = client_for("admin").post(f"/setup/staff/{staff.pk}/", data)
    assert "Дата увольнения не может быть раньше даты приёма на работу." in page_text(response)
    assert totals() == before


def test_the_admin_cannot_take_the_admin_role_from_themself(
    world: World, client_for: Callable
) -> None:
    staff = world.user("admin").staff_records.get()
    before = totals()
    data = staff_form(staff, roles=["teacher"])
    response = client_for("admin").post(f"/setup/staff/{staff.pk}/", data)
    assert "Нельзя снять роль администратора с самого себя." in page_text(response)
    assert totals() == before


# --- students ---------------------------------------------------------------------------------


def new_student(world: World, **changes: object) -> dict:
    data = {
        "last_name": "Сидорова",
        "first_name": "Мария",
        "middle_name": "Петровна",
        "birth_date": "12.03.2013",
        "gender": "f",
        "school_class": world.class_7a.pk,
        "start": "2026-11-18",
        "order_ref": "№ 101 от 17.11.2026",
    }
    return {**data, **changes}


def test_the_secretary_records_an_arrival_with_its_order(
    world: World, client_for: Callable
) -> None:
    response = client_for("secretary").post("/setup/student/new/", new_student(world))
    student = Student.objects.get(last_name="Сидорова")
    assert response.status_code == 302
    assert response["Location"] == f"/setup/student/{student.pk}/"
    enrollment = student.enrollments.get()
    assert enrollment.school_class == world.class_7a
    assert enrollment.start == datetime.date(2026, 11, 18)
    assert enrollment.order_ref == "№ 101 от 17.11.2026"
    assert last_event("student_create").after["last_name"] == "Сидорова"
    assert last_event("student_arrive").after["order_ref"] == "№ 101 от 17.11.2026"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"birth_date": "2026-01-01"}, "Проверьте дату рождения"),
        ({"start": "2027-06-01"}, "Дата должна быть в пределах учебного года 2026/2027"),
        ({"start": "18.13.2026"}, "Введите дату в формате ДД.ММ.ГГГГ."),
        ({"first_name": ""}, "Обязательное поле."),
        ({"school_class": "other"}, "Выберите корректный вариант."),
        ({"snils": "112-233-445 96"}, "Неверный СНИЛС: нужно 11 цифр с верной контрольной суммой."),
        ({"snils": "1122334459"}, "Неверный СНИЛС"),
    ],
)
def test_bad_student_input_shows_the_russian_message_and_writes_nothing(
    changes: dict, message: str, world: World, client_for: Callable
) -> None:
    if changes.get("school_class") == "other":
        changes = {"school_class": world.other_class.pk}
    before = totals()
    response = client_for("admin").post("/setup/student/new/", new_student(world, **changes))
    assert response.status_code == 200
    assert message in page_text(response)
    assert totals() == before


def test_the_snils_is_written_checked_shown_and_audited(world: World, client_for: Callable) -> None:
    """SNILS on the student form: the import's checksum, stored in one form, on the card and the
    edit form, in the audit event; another student's SNILS is refused with nothing written."""
    admin = client_for("admin")
    response = admin.post("/setup/student/new/", new_student(world, snils=" 11223344595 "))
    assert response.status_code == 302
    student = Student.objects.get(last_name="Сидорова")
    assert student.snils == "112-233-445 95"
    assert last_event("student_create").after["snils"] == "112-233-445 95"
    assert 'value="112-233-445 95"' in page_text(admin.get(f"/setup/student/{student.pk}/"))
    card = page_text(admin.get(f"/people/student/{student.pk}/"))
    assert "<dd data-snils>112-233-445 95</dd>" in card

    pupil = world.pupil_7a
    before = totals()
    data = {"last_name": pupil.last_name, "first_name": pupil.first_name, "snils": "112 233 445 95"}
    response = admin.post(f"/setup/student/{pupil.pk}/", data)
    assert response.status_code == 200
    assert "Этот СНИЛС уже записан у обучающегося Сидорова Мария Петровна." in page_text(response)
    pupil.refresh_from_db()
    assert pupil.snils == "" and totals() == before

    # The student's own SNILS is no clash; clearing it is a change like any other.
    data = {"last_name": "Сидорова", "first_name": "Мария", "snils": "112-233-445 95"}
    assert admin.post(f"/setup/student/{student.pk}/", data).status_code == 302
    data["snils"] = ""
    assert admin.post(f"/setup/student/{student.pk}/", data).status_code == 302
    student.refresh_from_db()
    assert student.snils == ""
    assert last_event("student_update").before["snils"] == "112-233-445 95"


def test_correcting_a_student_name_also_renames_their_login(
    world: World, client_for: Callable
) -> None:
    pupil = world.pupil_7a
    data = {"last_name": "Иванов", "first_name": "Иоанн", "middle_name": "Иванович"}
    response = client_for("admin").post(f"/setup/student/{pupil.pk}/", data)
    assert response.status_code == 302
    event = last_event("student_update")
    assert (event.before["first_name"], event.after["first_name"]) == ("Иван", "Иоанн")
    pupil.user.refresh_from_db()
    assert pupil.user.first_name == "Иоанн"
    assert last_event("user_update").after["first_name"] == "Иоанн"


def test_a_transfer_ends_the_old_class_the_day_before_and_keeps_history(
    world: World, client_for: Callable
) -> None:
    pupil = world.pupil_7a
    url = f"/setup/student/{pupil.pk}/transfer/"
    data = {"school_class": world.class_7b.pk, "start": "20.11.2026", "order_ref": "№ 102"}
    response = client_for("secretary").post(url, data)
    assert response.status_code == 302
    old, new = pupil.enrollments.order_by("start")
    assert (old.school_class, old.end) == (world.class_7a, datetime.date(2026, 11, 19))
    assert (new.school_class, new.start, new.end) == (
        world.class_7b,
        datetime.date(2026, 11, 20),
        None,
    )
    assert last_event("student_transfer_out").before["end"] is None
    assert last_event("student_transfer_in").after["order_ref"] == "№ 102"
    page = page_text(client_for("secretary").get(f"/setup/student/{pupil.pk}/"))
    assert "19.11.2026" in page and "20.11.2026" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"school_class": "7a", "start": "2026-11-20"}, "Обучающийся уже в этом классе."),
        (
            {"school_class": "7b", "start": "2026-09-01"},
            "Дата перевода должна быть позже 01.09.2026",
        ),
        (
            {"school_class": "7b", "start": "2027-07-01"},
            "Дата должна быть в пределах учебного года",
        ),
    ],
)
def test_a_bad_transfer_shows_the_russian_message_and_writes_nothing(
    data: dict, message: str, world: World, client_for: Callable
) -> None:
    classes = {"7a": world.class_7a.pk, "7b": world.class_7b.pk}
    before = totals()
    url = f"/setup/student/{world.pupil_7a.pk}/transfer/"
    response = client_for("admin").post(
        url, {**data, "school_class": classes[data["school_class"]]}
    )
    assert response.status_code == 200
    assert message in page_text(response)
    assert totals() == before
    assert world.pupil_7a.enrollments.get().end is None


def test_a_departure_ends_the_enrollment_with_the_order(world: World, client_for: Callable) -> None:
    url = f"/setup/student/{world.pupil_7b.pk}/depart/"
    data = {"end": "18.11.2026", "order_ref": "№ 103 от 18.11.2026"}
    response = client_for("secretary").post(url, data)
    assert response.status_code == 302
    assert world.pupil_7b.enrollments.get().end == datetime.date(2026, 11, 18)
    event = last_event("student_depart")
    assert event.reason == "№ 103 от 18.11.2026"
    assert (event.before["end"], event.after["end"]) == (None, "2026-11-18")


def test_a_departure_without_an_order_writes_nothing(world: World, client_for: Callable) -> None:
    before = totals()
    url = f"/setup/student/{world.pupil_7b.pk}/depart/"
    response = client_for("secretary").post(url, {"end": "18.11.2026", "order_ref": ""})
    assert "Обязательное поле." in page_text(response)
    assert totals() == before


def test_a_student_without_a_login_gets_one_with_a_password_to_print(
    world: World, client_for: Callable
) -> None:
    pupil = Student.objects.create(school=world.school, last_name="Ёлкин", first_name="Яков")
    response = client_for("admin").post(f"/setup/student/{pupil.pk}/login/", {"username": ""})
    assert response.status_code == 200
    pupil.refresh_from_db()
    assert pupil.user.username == "elkin.y"
    assert pupil.user.check_password(issued_password(response))
    assert pupil.user.must_change_password
    assert last_event("student_login_issue").after["user_id"] == pupil.user.pk


def test_a_student_with_a_login_does_not_get_a_second_one(
    world: World, client_for: Callable
) -> None:
    before = totals()
    url = f"/setup/student/{world.pupil_7a.pk}/login/"
    response = client_for("admin").post(url, {"username": "ivanov2"})
    assert "У обучающегося уже есть логин." in page_text(response)
    assert totals() == before


# --- guardians --------------------------------------------------------------------------------


def guardian_form(world: World, **changes: object) -> dict:
    data = {
        "student": world.pupil_7b.pk,
        "relation": "father",
        "phone": "+7 978 000-00-00",
        "existing_login": "",
        "last_name": "Петров",
        "first_name": "Олег",
        "middle_name": "Иванович",
        "username": "",
    }
    return {**data, **changes}


def test_a_new_guardian_gets_a_login_and_a_password(world: World, client_for: Callable) -> None:
    response = client_for("secretary").post("/setup/guardian/new/", guardian_form(world))
    assert response.status_code == 200
    link = Guardian.objects.get(student=world.pupil_7b)
    assert link.user.username == "petrov.oi"
    assert link.user.check_password(issued_password(response))
    assert (link.relation, link.phone) == ("father", "+7 978 000-00-00")
    assert last_event("guardian_link").after["user_id"] == link.user.pk


def test_an_existing_guardian_is_linked_by_login(world: World, client_for: Callable) -> None:
    data = guardian_form(world, existing_login="PARENT7A", relation="mother")
    response = client_for("admin").post("/setup/guardian/new/", data)
    assert response.status_code == 302
    link = Guardian.objects.get(student=world.pupil_7b)
    assert link.user == world.user("guardian_7a")
    page = page_text(client_for("admin").get(f"/setup/student/{world.pupil_7b.pk}/"))
    assert "Иванова Ирина Сергеевна" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"existing_login": "nobody"}, "В школе нет учётной записи с логином «nobody»."),
        ({"existing_login": "parent7a", "student": "7a"}, "Этот представитель уже привязан"),
        ({"last_name": ""}, "Укажите фамилию."),
        ({"username": "pupil7a"}, "Логин «pupil7a» уже занят."),
    ],
)
def test_bad_guardian_input_shows_the_russian_message_and_writes_nothing(
    changes: dict, message: str, world: World, client_for: Callable
) -> None:
    if changes.get("student") == "7a":
        changes = {**changes, "student": world.pupil_7a.pk}
    before = totals()
    response = client_for("admin").post("/setup/guardian/new/", guardian_form(world, **changes))
    assert response.status_code == 200
    assert message in page_text(response)
    assert totals() == before


def test_a_student_cannot_be_their_own_guardian(world: World, client_for: Callable) -> None:
    before = totals()
    data = guardian_form(world, existing_login="pupil7b")
    response = client_for("admin").post("/setup/guardian/new/", data)
    assert "Обучающийся не может быть своим представителем." in page_text(response)
    assert totals() == before


def test_a_guardian_phone_change_is_audited(world: World, client_for: Callable) -> None:
    link = world.guardian_link
    data = {"relation": "mother", "phone": "+7 978 111-11-11"}
    response = client_for("secretary").post(f"/setup/guardian/{link.pk}/", data)
    assert response.status_code == 302
    event = last_event("guardian_update")
    assert (event.before["phone"], event.after["phone"]) == ("", "+7 978 111-11-11")


# --- new passwords ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["staff", "student", "guardian"])
def test_the_admin_issues_a_new_password_that_must_be_changed(
    kind: str, world: World, client_for: Callable
) -> None:
    obj = {
        "staff": lambda: world.user("teacher_7b").staff_records.get(),
        "student": lambda: world.pupil_7a,
        "guardian": lambda: world.guardian_link,
    }[kind]()
    response = client_for("admin").post(f"/setup/{kind}/{obj.pk}/password/")
    assert response.status_code == 200
    user = User.objects.get(pk=obj.user_id)
    assert user.check_password(issued_password(response)) and user.must_change_password
    event = last_event("password_issue")
    assert (event.object_id, event.school_id) == (str(user.pk), world.school.pk)


# The secretary issues passwords to students and guardians (docs/users.md), not to staff.
@pytest.mark.parametrize(
    ("persona", "kind", "status"),
    [("deputy", "student", 403), ("director", "student", 403), ("secretary", "staff", 403)],
)
def test_only_the_admin_and_the_secretary_issue_passwords(
    persona: str, kind: str, status: int, world: World, client_for: Callable
) -> None:
    obj = world.pupil_7a if kind == "student" else world.user("teacher_7b").staff_records.get()
    before = totals()
    response = client_for(persona).post(f"/setup/{kind}/{obj.pk}/password/")
    assert response.status_code == status
    assert totals() == before
    assert not User.objects.get(pk=obj.user_id).must_change_password


def test_a_password_for_a_student_of_another_school_is_404(
    world: World, client_for: Callable
) -> None:
    other = world.other_pupil
    other.user = User.objects.create(username="sidorov")
    other.save()
    response = client_for("admin").post(f"/setup/student/{other.pk}/password/")
    assert response.status_code == 404
    assert not Event.objects.filter(action="password_issue").exists()


# --- login names ------------------------------------------------------------------------------


def test_logins_are_suggested_from_the_transliterated_name_and_kept_unique(db: None) -> None:
    assert transliterate("Щукина-Ёжикова") == "shchukinaezhikova"
    assert login_suggest(last_name="Щукина", first_name="Юлия", middle_name="Сергеевна") == (
        "shchukina.ys"
    )
    User.objects.create(username="Shchukina.YS")
    assert login_suggest(last_name="Щукина", first_name="Юлия", middle_name="Сергеевна") == (
        "shchukina.ys2"
    )


def test_the_admin_cannot_take_over_an_account_with_rights_in_another_school(
    world: World, client_for: Callable
) -> None:
    colleague = world.user("teacher_other_school")
    link = Guardian.objects.create(school=world.school, student=world.pupil_7b, user=colleague)
    client = client_for("admin")
    response = client.post(f"/setup/guardian/{link.pk}/password/", follow=True)
    assert "используется и вне школы" in page_text(response)
    colleague.refresh_from_db()
    assert not colleague.must_change_password
    assert not Event.objects.filter(action="password_issue").exists()
