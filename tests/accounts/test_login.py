"""Logging in by login name, lockout after repeated failures (django-axes), and where a login
may lead."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from otmetka.accounts.models import User
from tests.world import PASSWORD, World

LOGIN_URL = "/accounts/login/"


def _login(client: Client, username: str, password: str, url: str = LOGIN_URL):
    return client.post(url, {"username": username, "password": password})


def _failures(username: str) -> int:
    """Failures axes counts for this (normalised) login, from any address."""
    rows = AccessAttempt.objects.filter(username=username)
    return rows.aggregate(n=Sum("failures_since_start"))["n"] or 0


def _logged_in_user_id(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def _lock_message(until: datetime.datetime) -> str:
    return f"Вход заблокирован до {timezone.localtime(until):%H:%M}"


def test_user_logs_in_with_login_name_and_lands_on_home(world: World, client: Client) -> None:
    response = _login(client, "pupil7a", PASSWORD)
    assert response.status_code == 302
    assert response.url == "/"
    assert _logged_in_user_id(client) == world.user("student_7a").pk


@pytest.mark.parametrize("typed", ["PUPIL7A", "Pupil7a", "  pupil7a  "])
def test_login_name_is_matched_regardless_of_case_and_spaces(
    world: World, client: Client, typed: str
) -> None:
    # Phones capitalise the first letter; children type their login as they see fit.
    response = _login(client, typed, PASSWORD)
    assert response.status_code == 302
    assert _logged_in_user_id(client) == world.user("student_7a").pk


def test_password_is_case_sensitive(world: World, client: Client) -> None:
    response = _login(client, "pupil7a", PASSWORD.upper())
    assert response.status_code == 200
    assert "Неверный логин или пароль." in response.content.decode()
    assert _logged_in_user_id(client) is None


def test_wrong_password_shows_russian_error_and_counts_a_failure(
    world: World, client: Client
) -> None:
    response = _login(client, "pupil7a", "not-the-password")
    assert response.status_code == 200
    assert "Неверный логин или пароль." in response.content.decode()
    assert _logged_in_user_id(client) is None
    assert _failures("pupil7a") == 1


def test_unknown_login_name_gets_the_same_error_as_a_wrong_password(
    world: World, client: Client
) -> None:
    response = _login(client, "nobody", PASSWORD)
    assert "Неверный логин или пароль." in response.content.decode()
    assert _logged_in_user_id(client) is None


def test_login_is_locked_after_the_failure_limit_with_the_time_named(
    world: World, client: Client
) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = _login(client, "pupil7a", "wrong")
        assert "Неверный логин или пароль." in response.content.decode()
    response = _login(client, "pupil7a", "wrong")
    until = timezone.now() + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    page = response.content.decode()
    assert "Слишком много неудачных попыток входа." in page
    assert _lock_message(until) in page
    assert response.status_code == 429


def test_locked_login_refuses_even_the_correct_password(world: World, client: Client) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "pupil7a", "wrong")
    until = timezone.now() + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    response = _login(client, "pupil7a", PASSWORD)
    assert response.status_code == 429
    assert _lock_message(until) in response.content.decode()
    assert _logged_in_user_id(client) is None


def test_lockout_covers_every_spelling_of_the_login_name(world: World, client: Client) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "pupil7a", "wrong")
    response = _login(client, "PUPIL7A", PASSWORD)
    assert "Слишком много неудачных попыток входа." in response.content.decode()
    assert _logged_in_user_id(client) is None


def test_lockout_of_one_login_does_not_touch_another(world: World, client: Client) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "pupil7a", "wrong")
    response = _login(client, "pupil7b", PASSWORD)
    assert response.status_code == 302
    assert _logged_in_user_id(client) == world.user("student_7b").pk


def test_login_unlocks_after_the_lockout_time(
    world: World, client: Client, school_day: object
) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "pupil7a", "wrong")
    school_day.shift(datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES - 1))
    assert _login(client, "pupil7a", PASSWORD).status_code == 429
    school_day.shift(datetime.timedelta(minutes=1, seconds=1))
    response = _login(client, "pupil7a", PASSWORD)
    assert response.status_code == 302
    assert _logged_in_user_id(client) == world.user("student_7a").pk


def test_a_failure_after_an_expired_lock_starts_a_fresh_count(
    world: World, client: Client, school_day: object
) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "pupil7a", "wrong")
    school_day.shift(datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES, seconds=1))
    response = _login(client, "pupil7a", "wrong")
    assert "Неверный логин или пароль." in response.content.decode()
    assert _failures("pupil7a") == 1


def test_successful_login_resets_the_failure_count(world: World, client: Client) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _login(client, "pupil7a", "wrong")
    assert _login(client, "pupil7a", PASSWORD).status_code == 302
    assert _failures("pupil7a") == 0
    other = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _login(other, "pupil7a", "wrong")
    response = _login(other, "pupil7a", PASSWORD)
    assert response.status_code == 302
    assert _logged_in_user_id(other) == world.user("student_7a").pk


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/phish",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
    ],
)
def test_next_parameter_pointing_elsewhere_is_refused(
    world: World, client: Client, target: str
) -> None:
    response = _login(client, "pupil7a", PASSWORD, url=f"{LOGIN_URL}?next={target}")
    assert response.status_code == 302
    assert response.url == "/"
    assert _logged_in_user_id(client) == world.user("student_7a").pk


def test_next_parameter_within_the_site_is_followed(world: World, client: Client) -> None:
    response = _login(client, "pupil7a", PASSWORD, url=f"{LOGIN_URL}?next=/accounts/password/")
    assert response.status_code == 302
    assert response.url == "/accounts/password/"


def test_logout_is_refused_by_get_and_leaves_the_user_logged_in(world: World, client_for) -> None:
    client = client_for("teacher_7a_math")
    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert _logged_in_user_id(client) == world.user("teacher_7a_math").pk


def test_logout_by_post_ends_the_session(world: World, client_for) -> None:
    client = client_for("teacher_7a_math")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/"
    assert _logged_in_user_id(client) is None
    assert client.get("/").status_code == 302


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_login_name_lookup_can_use_the_case_insensitive_index() -> None:
    """A region has 500k users: the case-blind login lookup must not scan them all."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny test table would be scanned
    plan = (
        User.objects.filter(username__iexact="Ivanov.I").values_list("username", flat=True)[:2]
    ).explain()
    assert "accounts_user_username_upper" in plan


def _session_cookie(response):
    return response.cookies[settings.SESSION_COOKIE_NAME]


def test_session_cookie_ends_with_the_browser_by_default(world: World, client: Client) -> None:
    response = _login(client, "pupil7a", PASSWORD)
    assert response.status_code == 302
    cookie = _session_cookie(response)
    assert cookie.value
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""


def test_remember_me_keeps_the_session_cookie_for_the_configured_days(
    world: World, client: Client
) -> None:
    response = client.post(
        LOGIN_URL, {"username": "pupil7a", "password": PASSWORD, "remember": "on"}
    )
    assert response.status_code == 302
    cookie = _session_cookie(response)
    assert int(cookie["max-age"]) == settings.LOGIN_REMEMBER_DAYS * 24 * 60 * 60
    assert cookie["expires"]
    assert client.get("/").status_code == 200


def test_login_page_offers_remember_me(client: Client, db: None) -> None:
    page = client.get(LOGIN_URL).content.decode()
    assert 'name="remember"' in page
    assert "Запомнить меня" in page
