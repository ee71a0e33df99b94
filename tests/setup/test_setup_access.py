"""Who may open and post the setup pages: read-only roles get 403 on create/edit and 200 on
lists, those who cannot read get 404, another school's rows are 404 even to the admin."""

import datetime
from collections.abc import Callable

import pytest
from django.db.models import Model

from otmetka.accounts.models import User
from otmetka.audit.models import Event
from otmetka.curriculum.models import Subject
from otmetka.people.models import Guardian, Staff
from otmetka.school.models import Bell, Period
from otmetka.setup.registry import KINDS
from tests.setup.conftest import make_override, make_vacation
from tests.world import World

REFERENCE = [
    "year", "period", "vacation", "calendar", "class", "subject", "bell", "markkind", "absencecode",
]  # fmt: skip
PEOPLE = ["staff", "student", "guardian"]
assert set(REFERENCE + PEOPLE) == set(KINDS)


def _bell(school: object) -> Model:
    """Lesson 1 of the school's first shift."""
    bell, _ = Bell.objects.get_or_create(
        school=school, number=1, defaults={"start": datetime.time(8), "end": datetime.time(8, 45)}
    )
    return bell


def _journal_row(school: object, kind: str) -> Model:
    """A default kind of work or absence code of the school."""
    from otmetka.journal.defaults import journal_defaults_ensure
    from otmetka.journal.models import AbsenceCode, MarkKind

    journal_defaults_ensure(school=school)
    model = MarkKind if kind == "markkind" else AbsenceCode
    return model.objects.filter(school=school).first()


def own_row(kind: str, w: World) -> Model:
    """A row of `kind` in the world's school."""
    return {
        "year": lambda: w.year,
        "period": lambda: Period.objects.filter(year=w.year).first(),
        "vacation": lambda: make_vacation(w),
        "calendar": lambda: make_override(w),
        "class": lambda: w.class_7a,
        "subject": lambda: w.math,
        "bell": lambda: _bell(w.school),
        "markkind": lambda: _journal_row(w.school, "markkind"),
        "absencecode": lambda: _journal_row(w.school, "absencecode"),
        "staff": lambda: Staff.objects.get(school=w.school, user=w.user("teacher_7b")),
        "student": lambda: w.pupil_7a,
        "guardian": lambda: w.guardian_link,
    }[kind]()


def other_row(kind: str, w: World) -> Model:
    """A row of `kind` in the other school."""
    other = w.other_school
    return {
        "year": lambda: w.other_class.year,
        "period": lambda: Period.objects.filter(school=other).first(),
        "vacation": lambda: make_vacation(w, other),
        "calendar": lambda: make_override(w, other),
        "class": lambda: w.other_class,
        "subject": lambda: Subject.objects.get(school=other),
        "bell": lambda: _bell(other),
        "markkind": lambda: _journal_row(other, "markkind"),
        "absencecode": lambda: _journal_row(other, "absencecode"),
        "staff": lambda: Staff.objects.get(school=other),
        "student": lambda: w.other_pupil,
        "guardian": lambda: Guardian.objects.create(
            school=other, student=w.other_pupil, user=User.objects.create(username="sidorova")
        ),
    }[kind]()


def urls(kind: str, w: World) -> list[str]:
    return [f"/setup/{kind}/new/", f"/setup/{kind}/{own_row(kind, w).pk}/"]


@pytest.mark.parametrize("kind", REFERENCE)
def test_a_teacher_reads_reference_lists_but_gets_403_on_their_forms(
    kind: str, world: World, client_for: Callable
) -> None:
    client = client_for("teacher_7a_math")
    assert client.get(f"/setup/{kind}/").status_code == 200
    assert [client.get(url).status_code for url in urls(kind, world)] == [403, 403]


@pytest.mark.parametrize("kind", PEOPLE)
def test_a_teacher_gets_404_on_people_pages(kind: str, world: World, client_for: Callable) -> None:
    client = client_for("teacher_7a_math")
    pages = [f"/setup/{kind}/", *urls(kind, world)]
    assert [client.get(url).status_code for url in pages] == [404, 404, 404]


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_director_reads_every_list_and_gets_403_on_forms(
    kind: str, world: World, client_for: Callable
) -> None:
    client = client_for("director")
    assert client.get(f"/setup/{kind}/").status_code == 200
    # A student's page takes the director to the student's personal data card instead.
    expected = [403, 302] if kind == "student" else [403, 403]
    assert [client.get(url).status_code for url in urls(kind, world)] == expected


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_post_by_the_director_is_403_and_writes_nothing(
    kind: str, world: World, client_for: Callable
) -> None:
    model = KINDS[kind].rows().model
    pages = urls(kind, world)
    before = (model.objects.count(), Event.objects.count())
    responses = [client_for("director").post(url, {"name": "x"}) for url in pages]
    assert [r.status_code for r in responses] == [403, 403]
    assert (model.objects.count(), Event.objects.count()) == before


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_row_of_another_school_is_404_even_to_the_admin(
    kind: str, world: World, client_for: Callable
) -> None:
    url = f"/setup/{kind}/{other_row(kind, world).pk}/"
    before = Event.objects.count()
    client = client_for("admin")
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x"}).status_code == 404
    assert Event.objects.count() == before


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_outsider_gets_404_everywhere(kind: str, world: World, client_for: Callable) -> None:
    client = client_for("outsider")
    pages = [f"/setup/{kind}/", *urls(kind, world)]
    assert [client.get(url).status_code for url in pages] == [404, 404, 404]


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_anonymous_visitor_is_sent_to_the_login_page(
    kind: str, world: World, client_for: Callable
) -> None:
    for url in [f"/setup/{kind}/", *urls(kind, world)]:
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_the_secretary_manages_people_but_only_reads_reference_data(
    world: World, client_for: Callable
) -> None:
    client = client_for("secretary")
    assert client.get("/setup/student/new/").status_code == 200
    assert client.get("/setup/staff/new/").status_code == 200
    assert client.get("/setup/class/new/").status_code == 403


def test_an_unknown_kind_is_404(world: World, client_for: Callable) -> None:
    assert client_for("admin").get("/setup/course/").status_code == 404


def test_the_setup_index_lists_only_what_the_user_may_read(
    world: World, client_for: Callable
) -> None:
    nurse_page = client_for("nurse").get("/setup/").content.decode()
    assert "/setup/student/" in nurse_page and "/setup/class/" in nurse_page
    assert "/setup/staff/" not in nurse_page and "/setup/subject/" not in nurse_page
    assert client_for("web_editor").get("/setup/").status_code == 404
