"""Login throttling on django-axes: per login + address, per address, the admin login, normalised
logins, the client address shared with the audit, and no permanent rows for unknown logins."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from otmetka.accounts.models import User
from otmetka.audit.models import Event
from tests.world import PASSWORD, World

LOGIN_URL = "/accounts/login/"
ADMIN_LOGIN_URL = "/django-admin/login/"
LOCKED = "Слишком много неудачных попыток входа."
IP_A, IP_B = "203.0.113.10", "198.51.100.20"


def _client(ip: str = IP_A) -> Client:
    return Client(REMOTE_ADDR=ip)


def _login(client: Client, username: str, password: str, url: str = LOGIN_URL):
    return client.post(url, {"username": username, "password": password})


def _fail(client: Client, username: str, times: int, url: str = LOGIN_URL) -> None:
    for _ in range(times):
        _login(client, username, "wrong-password", url)


def _user_id(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def test_victim_of_a_lockout_still_logs_in_from_their_own_address(world: World) -> None:
    attacker = _client(IP_A)
    _fail(attacker, "pupil7a", settings.LOGIN_FAILURE_LIMIT)
    assert _login(attacker, "pupil7a", PASSWORD).status_code == 429
    victim = _client(IP_B)
    response = _login(victim, "pupil7a", PASSWORD)
    assert response.status_code == 302
    assert _user_id(victim) == world.user("student_7a").pk
    assert _user_id(attacker) is None


def test_lockout_page_is_russian_with_status_429_and_our_login_form(world: World) -> None:
    client = _client()
    _fail(client, "pupil7a", settings.LOGIN_FAILURE_LIMIT - 1)
    response = _login(client, "pupil7a", "wrong-password")
    page = response.content.decode()
    assert response.status_code == 429
    assert LOCKED in page
    assert 'name="username"' in page
    assert "Account locked" not in page


def test_a_sprayer_from_one_address_is_stopped_after_the_address_limit(
    world: World, settings: object
) -> None:
    settings.LOGIN_IP_FAILURE_LIMIT = 12
    sprayer = _client(IP_A)
    for n in range(12):
        _login(sprayer, f"guess{n}", "wrong-password")  # one try per login: no pair lock
    response = _login(sprayer, "pupil7a", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert _user_id(sprayer) is None
    other = _client(IP_B)
    assert _login(other, "pupil7a", PASSWORD).status_code == 302


def test_address_below_its_limit_is_not_stopped(world: World, settings: object) -> None:
    settings.LOGIN_IP_FAILURE_LIMIT = 12
    client = _client(IP_A)
    for n in range(11):
        _login(client, f"guess{n}", "wrong-password")
    assert _login(client, "pupil7a", PASSWORD).status_code == 302


def test_failure_limit_and_lockout_minutes_come_from_the_otmetka_settings(
    world: World, settings: object, school_day: object
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_LOCKOUT_MINUTES = 3
    client = _client()
    _fail(client, "pupil7a", 2)
    assert _login(client, "pupil7a", PASSWORD).status_code == 429
    school_day.shift(datetime.timedelta(minutes=3, seconds=1))
    assert _login(client, "pupil7a", PASSWORD).status_code == 302


def test_admin_login_is_locked_too_with_our_russian_page(world: World) -> None:
    User.objects.create_superuser("root", password="x-Otmetka-2026")
    client = _client()
    _fail(client, "root", settings.LOGIN_FAILURE_LIMIT, url=ADMIN_LOGIN_URL)
    response = _login(client, "root", "x-Otmetka-2026", url=ADMIN_LOGIN_URL)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert _user_id(client) is None
    # the same lock holds on the journal's own login form
    assert _login(client, "root", "x-Otmetka-2026").status_code == 429


def test_admin_login_accepts_any_case_of_the_login(world: World) -> None:
    root = User.objects.create_superuser("root", password="x-Otmetka-2026")
    client = _client()
    response = _login(client, "ROOT", "x-Otmetka-2026", url=ADMIN_LOGIN_URL)
    assert response.status_code == 302
    assert _user_id(client) == root.pk


@pytest.mark.parametrize("typed", ["ſecretary", "ＳＥＣＲＥＴＡＲＹ", "SeCrEtArY"])
def test_compatibility_forms_of_a_login_log_in_as_it(world: World, typed: str) -> None:
    client = _client()
    assert _login(client, typed, PASSWORD).status_code == 302
    assert _user_id(client) == world.user("secretary").pk


@pytest.mark.parametrize("typed", ["pupıl7a", "PUPİL7A"])
def test_look_alike_letters_never_match_a_login(world: World, typed: str) -> None:
    # PostgreSQL's UPPER('ı') is 'I': the old lookup matched pupil7a through it.
    client = _client()
    response = _login(client, typed, PASSWORD)
    assert response.status_code == 200
    assert "Неверный логин или пароль." in response.content.decode()
    assert _user_id(client) is None


def test_every_spelling_of_a_login_shares_one_counter(world: World) -> None:
    client = _client()
    spellings = ["secretary", "SECRETARY", "ſecretary", "ＳＥＣＲＥＴＡＲＹ", "Secretary"]
    for typed in spellings[: settings.LOGIN_FAILURE_LIMIT]:
        _login(client, typed, "wrong-password")
    assert list(AccessAttempt.objects.values_list("username", flat=True).distinct()) == [
        "secretary"
    ]
    assert _login(client, "ſecretary", PASSWORD).status_code == 429
    assert _login(client, "pupıl7a", PASSWORD).status_code == 200  # never a way around


def test_locked_login_does_not_log_in_through_a_look_alike(world: World) -> None:
    client = _client()
    _fail(client, "pupil7a", settings.LOGIN_FAILURE_LIMIT)
    for typed in ("pupıl7a", "PUPİL7A", "ｐｕｐｉｌ７ａ"):
        _login(client, typed, PASSWORD)
        assert _user_id(client) is None


def test_throttle_sees_the_same_client_address_as_the_audit(world: World) -> None:
    client = _client(IP_B)
    _login(client, "pupil7a", "wrong-password")
    attempt = AccessAttempt.objects.get()
    event = Event.objects.get(action="login_failure")
    assert attempt.ip_address == event.ip == IP_B


def test_unknown_logins_leave_no_rows_once_the_lockout_time_passes(
    world: World, school_day: object
) -> None:
    client = _client()
    for n in range(3):
        _login(client, f"nobody{n}", "wrong-password")
    assert AccessAttempt.objects.count() == 3
    assert not Event.objects.filter(action__startswith="login").exists()
    school_day.shift(datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES, seconds=1))
    _login(_client(IP_B), "pupil7a", PASSWORD)  # any later login attempt sweeps expired rows
    assert AccessAttempt.objects.count() == 0


def _via_proxy(forwarded_for: str) -> Client:
    """A client behind the reverse proxy on this machine (a trusted proxy by default)."""
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_a_trusted_proxy_each_client_has_its_own_address(world: World) -> None:
    attacker = _via_proxy(IP_A)
    _fail(attacker, "pupil7a", settings.LOGIN_FAILURE_LIMIT)
    assert _login(attacker, "pupil7a", PASSWORD).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {IP_A}
    victim = _via_proxy(IP_B)
    assert _login(victim, "pupil7a", PASSWORD).status_code == 302
    assert Event.objects.get(action="login").ip == IP_B


def test_a_forged_forwarded_for_does_not_escape_the_lock(world: World) -> None:
    # The proxy appends the real address; what the client sent stays on the left.
    _fail(_via_proxy(IP_A), "pupil7a", settings.LOGIN_FAILURE_LIMIT)
    forged = _via_proxy(f"{IP_B}, {IP_A}")
    assert _login(forged, "pupil7a", PASSWORD).status_code == 429


def test_forwarded_for_from_an_untrusted_address_is_ignored(world: World) -> None:
    direct = Client(REMOTE_ADDR=IP_A, HTTP_X_FORWARDED_FOR=IP_B)
    _login(direct, "pupil7a", "wrong-password")
    assert AccessAttempt.objects.get().ip_address == IP_A
    assert Event.objects.get(action="login_failure").ip == IP_A


def test_lock_message_appears_once_on_the_page(world: World) -> None:
    client = _client()
    _fail(client, "pupil7a", settings.LOGIN_FAILURE_LIMIT - 1)
    page = _login(client, "pupil7a", "wrong-password").content.decode()
    assert page.count(LOCKED) == 1


def test_logins_differing_only_in_case_each_log_in_when_typed_exactly(world: World) -> None:
    # Django's createsuperuser can make "Root" beside "root"; the school's forms cannot.
    lower = User.objects.create_user("root", password="x-Otmetka-2026")
    upper = User.objects.create_user("Root", password="y-Otmetka-2026")
    client = _client()
    assert _login(client, "Root", "y-Otmetka-2026").status_code == 302
    assert _user_id(client) == upper.pk
    client = _client()
    assert _login(client, "root", "x-Otmetka-2026").status_code == 302
    assert _user_id(client) == lower.pk
    assert _login(_client(), "ROOT", "x-Otmetka-2026").status_code == 200


def test_a_password_issued_by_the_school_lifts_the_lock_as_the_lock_page_promises(
    world: World, client_for: object
) -> None:
    locked = _client()
    _fail(locked, "PUPIL7A", settings.LOGIN_FAILURE_LIMIT)
    assert _login(locked, "pupil7a", PASSWORD).status_code == 429
    response = client_for("admin").post(  # type: ignore[operator]
        f"/setup/student/{world.pupil_7a.pk}/password/"
    )
    issued = re.findall(r'<code class="secret">([^<]+)</code>', response.content.decode())[1]
    assert not AccessAttempt.objects.filter(username="pupil7a").exists()
    assert _login(locked, "pupil7a", issued).status_code == 302
    assert _user_id(locked) == world.user("student_7a").pk
