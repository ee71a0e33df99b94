"""The director's archive page, closing the year in the browser's terms, the record pages."""

import json
from collections.abc import Callable

from django.test import Client

from otmetka.archive.models import Archive
from otmetka.school.models import AcademicYear
from tests.world import World


def test_deputy_cannot_make_an_archive(world: World, client_for: Callable[[str], Client]) -> None:
    assert client_for("deputy").post("/archive/make/", {"year": world.year.pk}).status_code == 403
    assert not Archive.objects.exists()


def test_close_year_page_shows_the_plan_then_closes(
    world: World, client_for: Callable[[str], Client]
) -> None:
    director = client_for("director")
    plan = director.get(f"/archive/close-year/?year={world.year.pk}").content.decode()
    assert "7А → 8А: 1 обучающийся." in plan
    assert not AcademicYear.objects.filter(name="2027/2028").exists()
    response = director.post("/archive/close-year/", {"year": world.year.pk}, follow=True)
    assert "Учебный год 2026/2027 закрыт." in response.content.decode()
    assert AcademicYear.objects.filter(name="2027/2028").exists()
    again = director.get(f"/archive/close-year/?year={world.year.pk}").content.decode()
    assert "Менять нечего: учебный год закрыт." in again


def test_record_pages_show_the_marks(
    journal_world: World, client_for: Callable[[str], Client]
) -> None:
    secretary = client_for("secretary")
    found = secretary.get("/archive/records/?q=Ива").content.decode()
    assert f"/archive/records/{journal_world.pupil_7a.pk}/" in found
    assert "Петрова" not in found
    page = secretary.get(f"/archive/records/{journal_world.pupil_7a.pk}/").content.decode()
    assert "Личная карточка — успеваемость: Иванов Иван Иванович" in page
    assert "<td>Математика</td><td>4</td><td>5</td>" in page
    data = json.loads(secretary.get(f"/archive/records/{journal_world.pupil_7a.pk}/json/").content)
    assert data["years"][0]["subjects"] == [{"subject": "Математика", "marks": ["4", "5"]}]
    pdf = secretary.get(f"/archive/records/{journal_world.pupil_7a.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"


def test_bad_search_text_is_refused(world: World, client_for: Callable[[str], Client]) -> None:
    response = client_for("secretary").get("/archive/records/?q=%00")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
