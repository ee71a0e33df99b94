"""The session and its user in ONE read (`accounts.sessions`): every authenticated request reads
one statement before its own work, and stays exactly as strict as Django's two reads — a
deactivated user, a changed password (the session's auth hash) and a bumped auth version (roles)
count on the next request, in either school; logout deletes the session's row."""

from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from otmetka.access.models import Role, RoleMembership
from otmetka.accounts.models import Session, User
from otmetka.accounts.sessions import SessionStore, _Payload
from otmetka.curriculum.models import Course
from tests.world import PASSWORD, World

ClientFor = Callable[[str | None], Client]


def _sqls(client: Client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    return status, [q["sql"] for q in captured.captured_queries]


def _session_key(client: Client) -> str:
    return client.cookies["sessionid"].value


def test_one_statement_reads_the_session_and_its_user(client_for: ClientFor, world: World) -> None:
    for persona in ("teacher_7a_math", "teacher_other_school", "guardian_7a"):
        client = client_for(persona)
        status, sqls = _sqls(client, "/accounts/password/")
        assert status == 200
        assert 'FROM "accounts_session"' in sqls[0] and 'JOIN "accounts_user"' in sqls[0]
        assert not any('"accounts_user"' in s for s in sqls[1:]), sqls  # no second user read
        row = Session.objects.get(pk=_session_key(client))
        assert row.user_id == world.user(persona).pk


def test_a_deactivated_user_is_out_in_either_school(client_for: ClientFor, world: World) -> None:
    here, there = client_for("teacher_7a_math"), client_for("teacher_other_school")
    other_course = Course.objects.get(school_class=world.other_class)
    here_url = f"/api/v1/journal/{world.course_7a_math.pk}"
    there_url = f"/api/v1/journal/{other_course.pk}"
    assert here.get(here_url).status_code == 200 and there.get(there_url).status_code == 200
    User.objects.filter(pk=world.user("teacher_other_school").pk).update(is_active=False)
    assert there.get(there_url).status_code in (401, 403)
    assert there.get("/").status_code == 302  # to the login page
    assert here.get(here_url).status_code == 200  # the other school's teacher is untouched
    User.objects.filter(pk=world.user("teacher_other_school").pk).update(is_active=True)
    assert there.get(there_url).status_code == 200  # the session itself was kept


def test_a_password_changed_elsewhere_ends_the_other_sessions(
    client_for: ClientFor, world: World
) -> None:
    phone, laptop = client_for("teacher_other_school"), client_for("teacher_other_school")
    here = client_for("teacher_7a_math")
    assert phone.get("/").status_code == 200 and laptop.get("/").status_code == 200
    response = laptop.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Sdf-9876-ЛКМ",
            "new_password2": "Sdf-9876-ЛКМ",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200  # the session that changed it stays in
    assert phone.get("/").status_code == 302  # the other one: its auth hash no longer matches
    assert not Session.objects.filter(pk=_session_key(phone)).exists()  # flushed
    assert here.get("/").status_code == 200
    # A password set behind the session's back (an admin's reset) counts as well.
    user = User.objects.get(pk=world.user("teacher_7a_math").pk)
    user.set_password("Other-5555-пароль")
    user.save(update_fields=["password"])
    assert here.get("/").status_code == 302


def test_a_bumped_auth_version_rebuilds_the_context_in_the_other_school(
    client_for: ClientFor, world: World
) -> None:
    teacher = world.user("teacher_7b")
    client = client_for("teacher_7b")
    other_course = Course.objects.get(school_class=world.other_class)
    url = f"/api/v1/journal/{other_course.pk}"
    assert client.get(url).status_code == 404
    RoleMembership.objects.create(user=teacher, role=Role.DEPUTY, school=world.other_school)
    client.post("/school/switch/", {"school": world.other_school.pk})
    assert client.get(url).status_code == 200
    RoleMembership.objects.filter(user=teacher, school=world.other_school).delete()
    assert client.get(url).status_code == 404


def test_logout_deletes_the_session_row(client_for: ClientFor, world: World) -> None:
    client = client_for("teacher_other_school")
    key = _session_key(client)
    assert Session.objects.filter(pk=key, user=world.user("teacher_other_school")).exists()
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(pk=key).exists()
    assert client.get("/").status_code == 302


def test_a_login_by_the_form_stores_the_user_id(client: Client, world: World) -> None:
    response = client.post("/accounts/login/", {"username": "pupil7a", "password": PASSWORD})
    assert response.status_code == 302
    row = Session.objects.get(pk=_session_key(client))
    assert row.user_id == User.objects.get(username__iexact="pupil7a").pk
    assert str(row.user_id) == row.get_decoded()[SESSION_KEY]
    assert client.get("/").status_code == 200


def test_a_session_without_a_user_and_an_expired_one(world: World, db: None) -> None:
    store = SessionStore()
    store["x"] = 1
    store.create()
    loaded = SessionStore(store.session_key)
    assert loaded["x"] == 1 and loaded.loaded_user is None
    Session.objects.filter(pk=store.session_key).update(expire_date="2000-01-01T00:00:00Z")
    gone = SessionStore(store.session_key)
    assert "x" not in gone and gone.session_key is None


def test_a_verified_session_text_does_not_let_a_forged_one_through(world: World, db: None) -> None:
    """The signature of a session's text is checked once per process (`SessionStore.decode`):
    the same text decodes again, one with a changed payload and the old signature is refused."""
    store = SessionStore()
    store["x"] = 1
    store.create()
    text = Session.objects.get(pk=store.session_key).session_data
    assert SessionStore().decode(text) == {"x": 1}
    assert SessionStore().decode(text) == {"x": 1}  # verified before: its payload parsed anew
    _payload, signature = text.split(":", 1)
    forged = SessionStore().encode({"x": 2}).split(":", 1)[0] + ":" + signature
    assert forged != text and SessionStore().decode(forged) == {}


def test_sessions_keep_cyrillic_and_read_the_older_json(world: World, db: None) -> None:
    """The session's data goes through orjson: Cyrillic and keys that are not strings come back
    as `json` gives them, and a session written by Django's own JSON serializer (before the
    change) is read as it was."""
    from django.core import signing

    store = SessionStore()
    store["школа"] = "МБОУ «Ковыльновская СШ»"
    store["roles"] = {5: ["учитель"], "x": None}
    store.save()
    again = SessionStore(session_key=store.session_key)
    assert again["школа"] == "МБОУ «Ковыльновская СШ»"
    assert again["roles"] == {"5": ["учитель"], "x": None}
    raw = Session.objects.get(pk=store.session_key).session_data
    payload = signing.loads(raw, salt=store.key_salt, serializer=_Payload)
    assert "Ковыльновская".encode() in payload and b"\\u" not in payload  # UTF-8, not escapes

    old = SessionStore()
    old_text = signing.dumps(
        {"школа": "Лицей №1", "n": 3},
        salt=old.key_salt,
        serializer=signing.JSONSerializer,
        compress=True,
    )
    Session.objects.create(
        session_key="o" * 32,
        session_data=old_text,
        expire_date=Session.objects.get(pk=store.session_key).expire_date,
    )
    read = SessionStore(session_key="o" * 32)
    assert read["школа"] == "Лицей №1" and read["n"] == 3
