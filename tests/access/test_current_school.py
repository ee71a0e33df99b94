"""The current school of a request: carried in the session's auth context (`access.authctx`),
read again (one school, a bounded list) only when the context is rebuilt, never the whole
region; rights changed in the database count on the next request (the user's auth version)."""

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from otmetka.access.middleware import SESSION_KEY
from otmetka.access.models import RoleMembership
from otmetka.school.models import School
from tests.world import World

ClientFor = Callable[[str | None], Client]


def _school_queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [q["sql"] for q in captured.captured_queries if 'FROM "school_school"' in q["sql"]]


def test_login_remembers_the_users_school_in_the_session(
    client_for: ClientFor, world: World
) -> None:
    assert client_for("teacher_7a_math").session[SESSION_KEY] == world.school.pk
    assert client_for("teacher_other_school").session[SESSION_KEY] == world.other_school.pk
    assert SESSION_KEY not in client_for("outsider").session


def test_a_school_with_a_role_comes_with_the_memberships(
    client_for: ClientFor, world: World
) -> None:
    client = client_for("teacher_7a_math")
    url = f"/api/v1/journal/{world.course_7a_math.pk}"
    assert _school_queries(client, url) == []
    assert client.get(url).status_code == 200


def test_region_viewer_requests_read_one_school_not_the_whole_region(
    client_for: ClientFor, world: World
) -> None:
    for n in range(30):
        School.objects.create(district=world.school.district, name=f"Школа {n}", short_name=f"Ш{n}")
    client = client_for("region_viewer")
    client.post("/school/switch/", {"school": world.school.pk})
    url = f"/api/v1/journal/{world.course_7a_math.pk}"
    # The switch rebuilds the context: the chosen school and a bounded switcher list (31 > 30:
    # too many to carry, read when a page shows it) ...
    queries = _school_queries(client, url)
    assert len(queries) == 2 and "LIMIT 1" in queries[0] and "LIMIT 31" in queries[1]
    # ... and the next request reads no school at all.
    assert _school_queries(client, url) == []
    html = client.get("/").content.decode()  # the header's switcher lists them all
    assert html.count("<option value=") >= 32 + 2  # the schools and the two languages
    assert f'<option value="{world.school.pk}" selected>' in html


def test_a_removed_role_is_obeyed_on_the_next_request(client_for: ClientFor, world: World) -> None:
    client = client_for("admin")
    url = f"/api/v1/journal/{world.course_7a_math.pk}"
    assert client.get(url).status_code == 200
    RoleMembership.objects.filter(user=world.user("admin")).delete()
    assert client.get(url).status_code == 404
    assert "Столбовская СШ" not in client.get("/").content.decode()


def test_a_lost_school_is_replaced_by_the_next_one_and_remembered(
    client_for: ClientFor, world: World
) -> None:
    RoleMembership.objects.create(
        user=world.user("teacher_7b"), role="teacher", school=world.other_school
    )
    client = client_for("teacher_7b")
    assert client.session[SESSION_KEY] == world.other_school.pk  # Орловская before Столбовская
    RoleMembership.objects.filter(user=world.user("teacher_7b"), school=world.other_school).delete()
    html = client.get("/").content.decode()
    assert '<span class="school-name">Столбовская СШ</span>' in html
    assert client.session[SESSION_KEY] == world.school.pk
