"""Token sign-in for apps and scripts: the web login's throttle, hashed storage, expiry,
revocation by the owner and by a password change, read-only family tokens."""

import datetime
from collections.abc import Callable
from typing import Any

import time_machine
from django.test import Client

from otmetka.accounts.models import ApiToken
from otmetka.accounts.services import password_change
from otmetka.audit.models import Event
from tests.diary.helpers import MONDAY, diary_world
from tests.world import PASSWORD, World


def sign_in(login: str, password: str = PASSWORD, device: str = "Телефон") -> Any:
    return Client().post(
        "/api/v1/auth/token",
        {"login": login, "password": password, "device": device},
        content_type="application/json",
    )


def bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_a_parent_signs_in_and_reads_with_the_token_only(world: World) -> None:
    diary_world(world)
    answer = sign_in("parent7a")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    token = body["token"]
    assert token.startswith("otm_") and body["writable"] is False
    stored = ApiToken.objects.get()
    assert token not in stored.key_hash and stored.name == "Телефон"  # only the hash is kept
    assert Event.objects.filter(action="api_token_issue").count() == 1
    me = bearer(token).get("/api/v1/me").json()
    assert me["last_name"] == "Иванова" and len(me["students"]) == 2
    assert me["students"][0]["school_class"] == "7А"
    week = bearer(token).get(f"/api/v1/diary/{world.pupil_7a.pk}/days?start=2026-11-16")
    assert week.status_code == 200 and len(week.json()["days"]) == 5
    assert bearer("otm_wrong").get("/api/v1/me").status_code == 401
    assert Client().get("/api/v1/me").status_code == 401


def test_a_family_token_is_read_only_until_its_owner_allows_writing(world: World) -> None:
    token = sign_in("parent7a").json()["token"]
    to = world.user("homeroom_7a").pk
    send = {"subject": "Вопрос", "text": "Здравствуйте", "users_to": [to]}
    refused = bearer(token).post("/api/v1/messages/", send, content_type="application/json")
    assert refused.status_code == 403 and "устройств" in refused.json()["detail"]
    owner = Client()
    owner.force_login(world.user("guardian_7a"))
    page = owner.get("/accounts/devices/")
    assert page.status_code == 200 and "Телефон" in page.content.decode()
    pk = ApiToken.objects.get().pk
    assert owner.post(f"/accounts/devices/{pk}/write/", {"writable": "1"}).status_code == 302
    sent = bearer(token).post("/api/v1/messages/", send, content_type="application/json")
    assert sent.status_code == 200, sent.content


def test_a_teachers_token_writes_without_csrf(world: World) -> None:
    body = sign_in("math7a").json()
    assert body["writable"] is True


def test_the_owner_revokes_a_token_and_nobody_else_can(world: World) -> None:
    token = sign_in("parent7a").json()["token"]
    pk = ApiToken.objects.get().pk
    stranger = Client()
    stranger.force_login(world.user("student_7a"))
    assert stranger.post(f"/accounts/devices/{pk}/revoke/").status_code == 404
    assert bearer(token).get("/api/v1/me").status_code == 200
    owner = Client()
    owner.force_login(world.user("guardian_7a"))
    assert owner.post(f"/accounts/devices/{pk}/revoke/").status_code == 302
    assert bearer(token).get("/api/v1/me").status_code == 401
    assert Event.objects.filter(action="api_token_revoke").count() == 1


def test_a_device_signs_itself_out(world: World) -> None:
    token = sign_in("pupil7a").json()["token"]
    assert bearer(token).delete("/api/v1/auth/token").json() == {"revoked": True}
    assert bearer(token).get("/api/v1/me").status_code == 401


def test_a_password_change_revokes_every_token(world: World) -> None:
    token = sign_in("parent7a").json()["token"]
    password_change(actor=world.user("guardian_7a"), new_password="Другой-пароль-2026")
    assert bearer(token).get("/api/v1/me").status_code == 401


def test_a_token_expires(world: World, settings: Any) -> None:
    settings.API_TOKEN_DAYS = 1
    token = sign_in("parent7a").json()["token"]
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2)):
        assert bearer(token).get("/api/v1/me").status_code == 401


def test_wrong_passwords_lock_the_login_as_on_the_site(world: World, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(2):
        wrong = sign_in("parent7a", "не тот")
        assert wrong.status_code == 400 and wrong.json()["detail"] == "Неверный логин или пароль."
    assert sign_in("parent7a", "не тот").status_code == 429  # the third failure locks
    locked = sign_in("parent7a")  # the right password too, while locked
    assert locked.status_code == 429 and "заблокирован" in locked.json()["detail"]
    site = Client().post("/accounts/login/", {"username": "parent7a", "password": PASSWORD})
    assert site.status_code == 429  # one counter for the site and the API
    assert Event.objects.filter(action="login_failure").count() == 3


def test_an_issued_password_must_be_changed_before_a_token(world: World) -> None:
    user = world.user("guardian_7a")
    user.must_change_password = True
    user.save()
    refused = sign_in("parent7a")
    assert refused.status_code == 403 and ApiToken.objects.count() == 0


def test_diary_and_marks_answer_304_while_nothing_changed(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    diary_world(world)
    token = sign_in("parent7a").json()["token"]
    client = bearer(token)
    for url in (
        f"/api/v1/diary/{world.pupil_7a.pk}/days?start={MONDAY}&end=2026-11-22",
        f"/api/v1/diary/{world.pupil_7a.pk}/marks",
    ):
        first = client.get(url)
        etag = first.headers["ETag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        teacher = client_for("teacher_7a_math")
        lesson = world.course_7a_math.lessons.order_by("date").first()
        changed = teacher.patch(
            f"/api/v1/lessons/{lesson.pk}",
            {"topic": f"Новая тема {url[-5:]}"},
            content_type="application/json",
            headers={"X-CSRFToken": "x"},
        )
        assert changed.status_code == 200, changed.content
        fresh = client.get(url, headers={"If-None-Match": etag})
        if "/days" in url:  # the lesson's topic is in the days, not in the marks (test_etag.py)
            assert fresh.status_code == 200 and fresh.headers["ETag"] != etag
        else:
            assert fresh.status_code == 304
