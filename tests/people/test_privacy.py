"""A student's personal data (R8, R16–R19): the nurse records health and PE groups and only she
writes them; the PE teacher sees the PE group alone; every read of health data, contacts and
consents is logged and the director reads the log; consents with scans, withdrawn; the homeroom
teacher's list of missing data and the "confirmed current" action, audited; bad input is a 400
with nothing written."""

import datetime
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from otmetka.audit.models import Event, Read
from otmetka.people.models import Consent, HealthRecord, Student
from otmetka.people.privacy_selectors import has_publication_consent
from otmetka.school.models import Enrollment
from tests.messaging.helpers import PDF
from tests.people.helpers import pe_course
from tests.world import World

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]
HEALTH = {
    "health_group": "3",
    "pe_group": "special_a",
    "start": "01.09.2026",
    "basis": "Справка № 7",
}


def _card(client: Client, student: Student) -> str:
    response = client.get(f"/people/student/{student.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_nurse_records_and_the_pe_teacher_sees_only_the_pe_group(
    client_for: ClientFor, world: World
) -> None:
    pe_course(world)
    pupil = world.pupil_7a
    response = client_for("nurse").post(f"/people/student/{pupil.pk}/health/", HEALTH)
    assert response.status_code == 302
    record = HealthRecord.objects.get(student=pupil)
    assert (record.health_group, record.pe_group, record.created_by) == (
        "3",
        "special_a",
        world.user("nurse"),
    )
    assert Event.objects.filter(action="health_record_add", object_id=str(record.pk)).exists()

    pe_page = _card(client_for("teacher_7b"), pupil)
    assert "специальная А" in pe_page and "Справка № 7" not in pe_page
    assert "data-health-group" not in pe_page and "Группа здоровья" not in pe_page
    assert "<h2>Физкультурная группа</h2>" in pe_page  # a heading, capitalised like its neighbours
    class_page = client_for("teacher_7b").get(f"/people/class/{world.class_7a.pk}/")
    assert "<th>Физкультурная группа</th>" in class_page.content.decode()
    homeroom_page = _card(client_for("homeroom_7a"), pupil)
    assert "III" in homeroom_page and "Справка № 7" in homeroom_page
    # Only the nurse writes; the PE teacher of 7А has nothing of 7Б.
    assert (
        client_for("homeroom_7a").post(f"/people/student/{pupil.pk}/health/", HEALTH).status_code
        == 403
    )
    assert client_for("teacher_7b").get(f"/people/student/{world.pupil_7b.pk}/").status_code == 404
    assert HealthRecord.objects.count() == 1

    reads = Read.objects.filter(student_id=pupil.pk, kind="health")
    assert {r.reader.username for r in reads} == {"teacher7b", "homeroom7a"}
    log = client_for("director").get("/people/reads/?reader=teacher7b").content.decode()
    assert "Буквина Мария Сергеевна" in log and "Иванов Иван Иванович" in log
    assert "Классная" not in log


def test_the_class_list_logs_one_read_per_student_in_constant_queries(
    client_for: ClientFor, world: World, django_assert_max_num_queries: object
) -> None:
    client = client_for("nurse")
    client.get(f"/people/class/{world.class_7a.pk}/")  # sessions and caches warm

    def count() -> int:
        before = Read.objects.count()
        with django_assert_max_num_queries(12) as ctx:  # type: ignore[operator]
            client.get(f"/people/class/{world.class_7a.pk}/")
        assert (
            Read.objects.count() - before
            == Enrollment.objects.filter(school_class=world.class_7a).count()
        )
        return len(ctx.captured_queries)

    small = count()
    for i in range(5):
        s = Student.objects.create(school=world.school, last_name=f"Новый{i}", first_name="А")
        Enrollment.objects.create(
            school=world.school,
            student=s,
            school_class=world.class_7a,
            start=datetime.date(2026, 9, 1),
        )
        HealthRecord.objects.create(
            school=world.school, student=s, health_group="1", pe_group="main",
            start=datetime.date(2026, 9, 1), basis="x", created_by=world.user("nurse"),
        )  # fmt: skip
    assert count() == small


def test_a_consent_with_its_scan_is_registered_and_withdrawn(
    client_for: ClientFor, world: World, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    pupil, client = world.pupil_7a, client_for("homeroom_7a")
    assert not has_publication_consent(pupil)
    scan = SimpleUploadedFile("согласие.pdf", PDF, content_type="application/pdf")
    data = {
        "kind": "publication",
        "signed_by": "Иванова Ирина Сергеевна",
        "given_on": "01.09.2026",
        "file": scan,
    }
    assert client.post(f"/people/student/{pupil.pk}/consent/", data).status_code == 302
    consent = Consent.objects.get(student=pupil)
    assert has_publication_consent(pupil) and consent.name == "согласие.pdf"
    download = client_for("director").get(f"/people/consent/{consent.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]

    response = client.post(
        f"/people/consent/{consent.pk}/withdraw/", {"withdrawn_on": "18.11.2026"}
    )
    assert response.status_code == 302
    assert not has_publication_consent(pupil)
    assert has_publication_consent(pupil, on=datetime.date(2026, 11, 17))
    assert Event.objects.filter(action="consent_withdraw", object_id=str(consent.pk)).exists()
    again = client.post(f"/people/consent/{consent.pk}/withdraw/", {"withdrawn_on": "18.11.2026"})
    assert again.status_code == 400 and "уже отозвано" in again.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("скан.pdf", b"<html><script>alert(1)</script></html>", "не соответствует"),
        ("скан.exe", b"MZ\x90\x00", "не принимаются"),
    ],
)
def test_a_bad_scan_is_refused_with_nothing_written(
    client_for: ClientFor, world: World, name: str, content: bytes, message: str
) -> None:
    scan = SimpleUploadedFile(name, content)
    data = {"kind": "processing", "signed_by": "Иванова", "given_on": "01.09.2026", "file": scan}
    response = client_for("secretary").post(f"/people/student/{world.pupil_7a.pk}/consent/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {**HEALTH, "basis": "Справка\x00"},
        {**HEALTH, "basis": "х" * 301},
        {**HEALTH, "start": "01.01.2030"},
        {**HEALTH, "end": "01.08.2026"},
        {**HEALTH, "pe_group": "олимпийская"},
        {**HEALTH, "health_group": "6"},
    ],
)
def test_bad_health_input_is_a_400_with_nothing_written(
    client_for: ClientFor, world: World, data: dict
) -> None:
    response = client_for("nurse").post(f"/people/student/{world.pupil_7a.pk}/health/", data)
    assert response.status_code == 400
    assert not HealthRecord.objects.exists()


def test_a_lone_surrogate_sent_raw_writes_nothing(client_for: ClientFor, world: World) -> None:
    body = "health_group=1&pe_group=main&start=01.09.2026&basis=%ED%A0%80"
    response = client_for("nurse").post(
        f"/people/student/{world.pupil_7a.pk}/health/",
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (302, 400)
    for record in HealthRecord.objects.all():  # stored only as valid text, if at all
        record.basis.encode()


def test_huge_ids_are_404(client_for: ClientFor, world: World) -> None:
    client = client_for("director")
    for url in ("/people/student/99999999999999999999/", "/people/class/9223372036854775808/"):
        assert client.get(url).status_code == 404


def test_the_homeroom_teacher_sees_missing_data_and_confirms_it(
    client_for: ClientFor, world: World
) -> None:
    client, pupil = client_for("homeroom_7a"), world.pupil_7a
    page = client.get(f"/people/class/{world.class_7a.pk}/").content.decode()
    for missing in (
        "нет даты рождения",
        "нет документа",
        "нет контакта родителя",
        "не подтверждено",
    ):
        assert missing in page
    data = {"birth_date": "12.03.2013", "document": "II-АП 123456"}
    assert client.post(f"/people/student/{pupil.pk}/confirm/", data).status_code == 302
    pupil.refresh_from_db()
    assert (
        pupil.data_confirmed_on == datetime.date(2026, 11, 18) and pupil.document == "II-АП 123456"
    )
    event = Event.objects.get(action="student_data_confirm", object_id=str(pupil.pk))
    assert event.before["document"] == "" and event.after["birth_date"] == "2013-03-12"
    page = client.get(f"/people/class/{world.class_7a.pk}/").content.decode()
    assert "не подтверждено" not in page and "нет документа" not in page
    assert Read.objects.filter(reader=world.user("homeroom_7a"), kind="consents").exists()


def test_contacts_on_the_card_are_logged(client_for: ClientFor, world: World) -> None:
    world.guardian_link.phone = "+7 978 000-00-00"
    world.guardian_link.save()
    assert "+7 978 000-00-00" in _card(client_for("secretary"), world.pupil_7a)
    assert Read.objects.filter(reader=world.user("secretary"), kind="contacts").count() == 1
    # The nurse sees no contacts, consents or documents.
    nurse_page = _card(client_for("nurse"), world.pupil_7a)
    assert "+7 978" not in nurse_page and "Согласия" not in nurse_page


def test_guardians_phones_on_the_setup_card_and_the_class_roster_are_logged(
    client_for: ClientFor, world: World
) -> None:
    assert client_for("secretary").get(f"/setup/student/{world.pupil_7a.pk}/").status_code == 200
    assert client_for("homeroom_7a").get(f"/diary/class/{world.class_7a.pk}/").status_code == 200
    reads = Read.objects.filter(kind="contacts", student_id=world.pupil_7a.pk)
    assert {r.reader.username for r in reads} == {"secretary", "homeroom7a"}
