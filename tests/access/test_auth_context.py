"""The auth context in one read (`access.authctx`): a request reads the session and the user row,
nothing else of the user's rights; whatever changes those rights bumps the user's auth version,
and the next request obeys it — across two schools, not only inside one."""

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from otmetka.access.middleware import SESSION_KEY
from otmetka.access.models import Role, RoleMembership
from otmetka.accounts.models import User
from otmetka.curriculum.models import Course
from otmetka.people.models import Guardian
from tests.world import World

ClientFor = Callable[[str | None], Client]

RIGHTS_TABLES = (
    "access_rolemembership",
    "school_school",
    "people_guardian",
    "people_student",
    "school_schoolclass",
    "curriculum_course_teachers",
)


def _queries(client: Client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    sqls = [q["sql"] for q in captured.captured_queries]
    return len(sqls), sqls


def _reads_rights(sqls: list[str]) -> list[str]:
    return [s for s in sqls if any(f'FROM "{t}"' in s for t in RIGHTS_TABLES)]


def _version(world: World, persona: str) -> int:
    return User.objects.get(pk=world.user(persona).pk).auth_version


def test_a_request_reads_the_session_and_the_user_only(client_for: ClientFor, world: World) -> None:
    # The password page (with the header: school, switcher, menu with its diary and gradesheets
    # links) reads the session with its user (one statement) and the header's unread count, nothing
    # of the rights.
    for persona in ("teacher_7a_math", "homeroom_7a", "guardian_7a", "admin", "region_viewer"):
        client = client_for(persona)
        n, sqls = _queries(client, "/accounts/password/")
        assert _reads_rights(sqls) == [], persona
        assert 'FROM "accounts_session"' in sqls[0] and 'JOIN "accounts_user"' in sqls[0]
        assert n <= 2, sqls


def test_a_role_revoked_in_the_other_school_is_obeyed_on_the_next_request(
    client_for: ClientFor, world: World
) -> None:
    teacher = world.user("teacher_7b")
    RoleMembership.objects.create(user=teacher, role=Role.DEPUTY, school=world.other_school)
    client = client_for("teacher_7b")
    assert client.session[SESSION_KEY] == world.other_school.pk  # Орловская before Столбовская
    other_course = Course.objects.get(school_class=world.other_class)
    url = f"/api/v1/journal/{other_course.pk}"
    assert client.get(url).status_code == 200
    own = f"/api/v1/journal/{world.course_7b_russian.pk}"
    before = _version(world, "teacher_7b")
    RoleMembership.objects.filter(user=teacher, school=world.other_school).delete()
    assert _version(world, "teacher_7b") > before
    assert client.get(url).status_code == 404
    # The current school falls back to the one the teacher still works in.
    assert client.get(own).status_code == 200
    assert client.session[SESSION_KEY] == world.school.pk


def test_a_role_granted_counts_on_the_next_request(client_for: ClientFor, world: World) -> None:
    client = client_for("teacher_other_school")
    other_course = Course.objects.get(school_class=world.other_class)
    url = f"/api/v1/journal/{world.course_7a_math.pk}"
    assert client.get(f"/api/v1/journal/{other_course.pk}").status_code == 200
    assert client.get(url).status_code == 404
    RoleMembership.objects.create(
        user=world.user("teacher_other_school"), role=Role.DEPUTY, school=world.school
    )
    client.post("/school/switch/", {"school": world.school.pk})
    assert client.get(url).status_code == 200


def test_a_deactivated_user_is_out_on_the_next_request(client_for: ClientFor, world: World) -> None:
    client = client_for("deputy")
    assert client.get("/").status_code == 200
    User.objects.filter(pk=world.user("deputy").pk).update(is_active=False)
    response = client.get(f"/api/v1/journal/{world.course_7a_math.pk}")
    assert response.status_code in (302, 401, 403, 404)
    assert client.get("/").status_code == 302


def test_the_diary_and_gradesheets_links_follow_the_data(
    client_for: ClientFor, world: World
) -> None:
    outsider = world.user("outsider")
    RoleMembership.objects.create(user=outsider, role=Role.TEACHER, school=world.other_school)
    client = client_for("outsider")
    assert "/reports/" not in client.get("/").content.decode()
    world.other_class.homeroom_teacher = outsider
    world.other_class.save()
    assert 'href="/reports/"' in client.get("/").content.decode()
    # Taken away again: the old homeroom teacher is bumped too.
    world.other_class.homeroom_teacher = None
    world.other_class.save()
    assert 'href="/reports/"' not in client.get("/").content.decode()

    parent = client_for("guardian_7a")
    assert 'href="/diary/"' in parent.get("/").content.decode()
    Guardian.objects.filter(user=world.user("guardian_7a")).delete()
    assert 'href="/diary/"' not in parent.get("/").content.decode()


def test_a_new_course_teacher_and_a_renamed_school_are_seen(
    client_for: ClientFor, world: World
) -> None:
    client = client_for("teacher_7b")
    url = f"/api/v1/journal/{world.course_7a_math.pk}"
    assert client.get(url).status_code == 404
    world.course_7a_math.teachers.add(world.user("teacher_7b"))
    assert client.get(url).status_code == 200
    world.course_7a_math.teachers.clear()
    assert client.get(url).status_code == 404
    world.school.short_name = "Новая СШ"
    world.school.save()
    assert '<span class="school-name">Новая СШ</span>' in client.get("/").content.decode()


def test_a_context_stored_before_a_field_was_added_is_rebuilt(
    client_for: ClientFor, world: World
) -> None:
    """The context stores rows as their fields' values in order; one stored before a migration
    changed those fields (its shape differs) is rebuilt on the next request — no error, no row
    built from values in the wrong places."""
    from otmetka.access.authctx import AUTH_KEY, _format

    client = client_for("teacher_7a_math")
    assert client.get("/accounts/password/").status_code == 200
    session = client.session
    data = session[AUTH_KEY]
    assert data["fmt"] == _format()
    data["fmt"] = "2:000000000000"  # an older shape: the school's row one value shorter
    data["cur"][0] = data["cur"][0][:-1]
    session[AUTH_KEY] = data
    session.save()
    _n, sqls = _queries(client, "/accounts/password/")
    assert _reads_rights(sqls), sqls  # rebuilt
    assert client.session[AUTH_KEY]["fmt"] == _format()
    assert client.session[AUTH_KEY]["cur"][0][0] == world.school.pk
    assert client.get("/accounts/password/").status_code == 200
