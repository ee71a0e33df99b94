"""The homeroom teacher's tools: the summary sorted on the server and as XLSX (read back), the
class's attendance with a day's reason entered (audited, only for their class), and the
guardians' login slips printed in one go (one audit event)."""

import io
from collections.abc import Callable

import openpyxl
from django.contrib.auth.hashers import check_password
from django.test import Client

from otmetka.audit.models import Event
from otmetka.journal.models import Absence, Mark
from otmetka.people.models import Guardian
from tests.diary.helpers import diary_world, enroll
from tests.factories import UserFactory
from tests.journal.helpers import code, kind
from tests.world import World


def _summary_world(world: World) -> None:
    """Иванов 4 and 5 (one absence); Ученик00 2, 2, 3 (two absences); Ученик01 no marks."""
    dw = diary_world(world)
    weak, _quiet = enroll(world, 2)
    teacher = world.user("teacher_7a_math")
    for lesson, value in zip(dw.lessons[:3], ("2", "2", "3"), strict=True):
        Mark.objects.create(school=world.school, lesson=lesson, student=weak, value=value,
                            kind=kind(world), created_by=teacher)  # fmt: skip
    for lesson in dw.lessons[1:3]:
        Absence.objects.create(school=world.school, lesson=lesson, student=weak,
                               code=code(world, "нп"), created_by=teacher)  # fmt: skip


def _order(html: str, names: list[str]) -> list[str]:
    return sorted(names, key=html.index)


def test_the_summary_sorts_on_the_server_and_exports_the_same_order_to_xlsx(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    _summary_world(world)
    client = client_for("homeroom_7a")
    url = f"/diary/class/{world.class_7a.pk}/summary"
    names = ["Иванов Иван", "Ученик00 Пётр", "Ученик01 Пётр"]
    assert _order(client.get(f"{url}/").content.decode(), names) == names
    weakest = client.get(f"{url}/?sort=mean").content.decode()
    assert _order(weakest, names) == ["Ученик00 Пётр", "Иванов Иван", "Ученик01 Пётр"]
    strongest = client.get(f"{url}/?sort=-mean").content.decode()
    assert _order(strongest, names) == ["Иванов Иван", "Ученик00 Пётр", "Ученик01 Пётр"]
    absent = client.get(f"{url}/?sort=absences").content.decode()
    assert _order(absent, names) == ["Ученик00 Пётр", "Иванов Иван", "Ученик01 Пётр"]
    assert 'aria-current="true">сначала слабые' in weakest
    response = client.get(f"{url}.xlsx?sort=mean")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = book.active
    assert ws.title == "Сводка 7А"
    assert ws.freeze_panes == "C2"
    assert ws.column_dimensions["B"].width == 32
    header = [c.value for c in ws[1]]
    assert header[:2] == ["№", "Обучающийся"] and "Средний" in header and "нп" in header
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [r[1] for r in rows] == ["Ученик00 Пётр", "Иванов Иван Иванович", "Ученик01 Пётр"]
    assert rows[0][2] == 2.33 and rows[1][2] == 4.75 and rows[2][2] is None
    assert ws.cell(2, 3).fill.fgColor.rgb.endswith("F8D0D0")  # at risk: red
    assert client.get(f"{url}/?sort=%00").status_code == 200  # an unknown order: by name


def test_the_homeroom_teacher_records_a_reason_for_a_day_of_absences(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    dw = diary_world(world)  # Иванов: «б» on Tuesday 17 November
    pupil, teacher = world.pupil_7a, world.user("teacher_7a_math")
    Absence.objects.create(school=world.school, lesson=dw.lessons[1], student=world.pupil_7b,
                           code=code(world, "н"), created_by=teacher)  # fmt: skip
    client = client_for("homeroom_7a")
    url = f"/diary/class/{world.class_7a.pk}/attendance/"
    page = client.get(f"{url}?date=2026-11-16").content.decode()
    assert f'data-student="{pupil.pk}"' in page and '<span class="absence">б</span>' in page
    assert "Петрова" not in page  # 7Б's student is not in the table
    month = client.get(f"{url}?date=2026-11-16&span=month").content.decode()
    assert "01.11.2026 – 30.11.2026" in month
    good = {"student": pupil.pk, "date": "2026-11-17", "code": "у", "note": "Записка мамы",
            "week": "2026-11-16"}  # fmt: skip
    for bad, message in (
        ({**good, "student": world.pupil_7b.pk}, "не в вашем классе"),
        ({**good, "student": 10**30}, "не в вашем классе"),
        ({**good, "date": "2026-11-18"}, "нет пропусков"),
        ({**good, "code": "оп"}, "Выберите код причины"),
        ({**good, "note": "x\x00"}, "NUL"),
        ({**good, "note": "я" * 501}, "длиннее 500"),
        ({**good, "date": "вчера"}, "ДД.ММ.ГГГГ"),
    ):
        response = client.post(f"{url}reason/", bad)
        assert response.status_code == 400 and message in response.content.decode(), bad
    assert Absence.objects.get(student=pupil).code.code == "б"
    response = client.post(f"{url}reason/", good)
    assert response.status_code == 302 and "date=2026-11-16" in response["Location"]
    assert Absence.objects.get(student=pupil).code.code == "у"
    event = Event.objects.get(action="absence_reason")
    assert event.reason == "Записка мамы" and event.actor == world.user("homeroom_7a")
    assert Absence.objects.get(student=world.pupil_7b).code.code == "н"
    other = client_for("homeroom_7a").post(
        f"/diary/class/{world.other_class.pk}/attendance/reason/", good
    )
    assert other.status_code == 404


def test_login_slips_for_the_class_are_issued_in_one_go_with_one_event(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    enroll(world, 1)
    father = UserFactory(last_name="Иванов", first_name="Сергей")
    Guardian.objects.create(school=world.school, student=world.pupil_7a, user=father)
    client_for("guardian_7a")  # has logged in: no new slip for her
    mother_password = world.user("guardian_7a").password
    response = client_for("homeroom_7a").post(f"/diary/class/{world.class_7a.pk}/slips/")
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert html.count('class="card credentials slip"') == 1 and "Иванов Сергей" in html
    assert "<svg" in html  # the address as a QR code
    password = html.split('<code class="secret">')[2].split("</code>")[0]
    father.refresh_from_db()
    assert check_password(password, father.password) and father.must_change_password
    world.user("guardian_7a").refresh_from_db()
    assert world.user("guardian_7a").password == mother_password
    event = Event.objects.get(action="passwords_issue")
    assert event.after == {"users": [{"id": father.pk, "login": father.username}]}
    assert not Event.objects.filter(action="password_issue").exists()
