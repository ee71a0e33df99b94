"""Logins, failed logins, lockouts and password changes are written to the audit table."""

from django.conf import settings
from django.test import Client

from otmetka.audit.models import Event
from tests.world import PASSWORD, World

IP = "203.0.113.7"


def _login(client: Client, username: str, password: str, url: str = "/accounts/login/"):
    return client.post(url, {"username": username, "password": password})


def test_successful_login_is_audited_with_the_users_school_and_address(world: World) -> None:
    _login(Client(REMOTE_ADDR=IP), "math7a", PASSWORD)
    event = Event.objects.get(action="login")
    user = world.user("teacher_7a_math")
    assert (event.actor_id, event.object_type, event.object_id) == (
        user.pk,
        "accounts.user",
        str(user.pk),
    )
    assert event.school_id == world.school.pk
    assert event.ip == IP


def test_failed_login_to_an_account_is_audited_without_an_actor(world: World) -> None:
    _login(Client(REMOTE_ADDR=IP), "PUPIL7A", "wrong-password")
    event = Event.objects.get(action="login_failure")
    assert event.actor_id is None
    assert event.object_id == str(world.user("student_7a").pk)
    assert event.school_id == world.school.pk
    assert event.ip == IP
    assert not Event.objects.filter(action="login").exists()


def test_lockout_is_audited_once_and_refused_attempts_add_nothing(world: World) -> None:
    client = Client(REMOTE_ADDR=IP)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "pupil7a", "wrong-password")
    for _ in range(3):
        assert _login(client, "pupil7a", PASSWORD).status_code == 429
    pupil = str(world.user("student_7a").pk)
    assert Event.objects.filter(action="login_failure", object_id=pupil).count() == (
        settings.LOGIN_FAILURE_LIMIT
    )
    lockout = Event.objects.get(action="login_lockout")
    assert (lockout.object_id, lockout.school_id, lockout.ip) == (pupil, world.school.pk, IP)
    assert not Event.objects.filter(action="login").exists()


def test_admin_login_is_audited_too(world: World) -> None:
    from otmetka.accounts.models import User

    root = User.objects.create_superuser("root", password="x-Otmetka-2026")
    client = Client(REMOTE_ADDR=IP)
    _login(client, "root", "nope", url="/django-admin/login/")
    _login(client, "root", "x-Otmetka-2026", url="/django-admin/login/")
    actions = list(
        Event.objects.filter(object_id=str(root.pk)).order_by("id").values_list("action", "ip")
    )
    assert actions == [("login_failure", IP), ("login", IP)]


def test_password_change_is_audited_under_the_current_school(world: World) -> None:
    client = Client(REMOTE_ADDR=IP)
    _login(client, "math7a", PASSWORD)
    new = "Lesnaya-tropa-1941"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    assert client.post("/accounts/password/", data).status_code == 302
    event = Event.objects.get(action="password_change")
    assert event.actor_id == world.user("teacher_7a_math").pk
    assert event.school_id == world.school.pk
    assert event.ip == IP


def test_programmatic_login_writes_no_login_event(world: World) -> None:
    Client().force_login(world.user("student_7a"))
    assert not Event.objects.filter(action="login").exists()
