"""Issued passwords, the forced change, and the real argon2 hasher."""

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client

from otmetka.accounts.models import User
from otmetka.audit.models import Event
from tests.world import PASSWORD, World

CHANGE_URL = "/accounts/password/"
NEW_PASSWORD = "Lesnaya-tropa-1941"


@pytest.fixture
def issued(world: World) -> User:
    """The 7А student with a password issued by the school, not yet changed."""
    user = world.user("student_7a")
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    return user


@pytest.fixture
def issued_client(issued: User) -> Client:
    client = Client()
    client.force_login(issued)
    return client


def _change(client: Client, old: str, new: str, again: str | None = None):
    data = {"old_password": old, "new_password1": new, "new_password2": again or new}
    return client.post(CHANGE_URL, data)


def test_login_with_an_issued_password_leads_to_the_change_page(
    issued: User, client: Client
) -> None:
    response = client.post("/accounts/login/", {"username": "pupil7a", "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url == CHANGE_URL


@pytest.mark.parametrize(
    "path",
    ["/", "/accounts/login/", "/school/switch/", "/django-admin/", "/no-such-page/"],
)
def test_issued_password_redirects_every_page_to_the_change_page(
    issued_client: Client, path: str
) -> None:
    response = issued_client.get(path)
    assert response.status_code == 302
    assert response.url == CHANGE_URL


def test_change_page_itself_is_open_with_an_issued_password(issued_client: Client) -> None:
    response = issued_client.get(CHANGE_URL)
    assert response.status_code == 200
    assert "Этот пароль выдан школой." in response.content.decode()


def test_logout_is_open_with_an_issued_password(issued_client: Client) -> None:
    response = issued_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/"
    assert "_auth_user_id" not in issued_client.session


def test_new_password_must_differ_from_the_issued_one(issued: User, issued_client: Client) -> None:
    response = _change(issued_client, PASSWORD, PASSWORD)
    assert response.status_code == 200
    assert "Новый пароль должен отличаться от текущего." in response.content.decode()
    issued.refresh_from_db()
    assert issued.must_change_password
    assert issued.check_password(PASSWORD)
    assert not Event.objects.filter(action="password_change").exists()


def test_wrong_current_password_changes_nothing(issued: User, issued_client: Client) -> None:
    response = _change(issued_client, "not-the-password", NEW_PASSWORD)
    assert response.status_code == 200
    assert "Ваш старый пароль введен неправильно." in response.content.decode()
    issued.refresh_from_db()
    assert issued.must_change_password
    assert not Event.objects.filter(action="password_change").exists()


def test_changing_the_password_frees_the_user_and_writes_an_audit_event(
    issued: User, issued_client: Client
) -> None:
    response = _change(issued_client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert response.url == "/"
    issued.refresh_from_db()
    assert not issued.must_change_password
    assert issued.check_password(NEW_PASSWORD)
    event = Event.objects.get(action="password_change")
    assert event.actor == issued
    assert (event.object_type, event.object_id) == ("accounts.user", str(issued.pk))
    assert PASSWORD not in str(event.before) + str(event.after)
    # The session survives the change and the user is no longer sent back to it.
    assert issued_client.get("/accounts/logout/").status_code == 405
    assert issued_client.get(CHANGE_URL).status_code == 200


def test_changed_password_works_at_the_next_login(issued: User, issued_client: Client) -> None:
    _change(issued_client, PASSWORD, NEW_PASSWORD)
    client = Client()
    response = client.post("/accounts/login/", {"username": "pupil7a", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"


def test_otmetka_hasher_makes_argon2id_hashes_with_the_measured_parameters(
    settings: object,
) -> None:
    settings.PASSWORD_HASHERS = ["otmetka.accounts.hashers.OtmetkaArgon2Hasher"]
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(PASSWORD, encoded)
    assert not check_password(PASSWORD + "x", encoded)


COMMON = "слишком распространён"
SIMILAR = "слишком похож на ваши данные"


@pytest.mark.parametrize(
    "new",
    [
        "Пароль123",
        "Йцукен123",
        "пароль1234",
        "Qwerty123!",
        "gfhjkm2024",  # «пароль» typed in the Latin layout
        "parol2024!",  # transliterated
        "ghbdtn-2026",  # «привет» in the Latin layout
    ],
)
def test_common_russian_passwords_are_refused_with_a_russian_message(
    issued: User, issued_client: Client, new: str
) -> None:
    response = _change(issued_client, PASSWORD, new)
    assert response.status_code == 200
    assert COMMON in response.content.decode()
    issued.refresh_from_db()
    assert issued.check_password(PASSWORD)
    assert not Event.objects.filter(action="password_change").exists()


@pytest.mark.parametrize("new", ["Числов2026", "Chislov2026", "Xbckjd2026", "math7a-2026"])
def test_password_like_the_persons_name_or_login_is_refused_in_either_script(
    world: World, client_for, new: str
) -> None:
    # The teacher Числов: the surname as is, transliterated, typed in the Latin layout; the login.
    client = client_for("teacher_7a_math")
    response = _change(client, PASSWORD, new)
    assert response.status_code == 200
    assert SIMILAR in response.content.decode()
    assert world.user("teacher_7a_math").check_password(PASSWORD)


@pytest.mark.parametrize("new", ["Иванова2026", "Ivanova2026"])
def test_a_guardians_surname_is_refused_as_a_password(world: World, client_for, new: str) -> None:
    response = _change(client_for("guardian_7a"), PASSWORD, new)  # Иванова Ирина Сергеевна
    assert response.status_code == 200
    assert SIMILAR in response.content.decode()


def test_an_uncommon_password_is_accepted(issued: User, issued_client: Client) -> None:
    assert _change(issued_client, PASSWORD, "Kedr-na-holme-1941").status_code == 302
    issued.refresh_from_db()
    assert issued.check_password("Kedr-na-holme-1941")


def test_issued_passwords_always_pass_the_validators(world: World) -> None:
    from django.contrib.auth.password_validation import validate_password

    from otmetka.accounts.services import password_generate

    user = world.user("student_7a")
    for _ in range(300):
        validate_password(password_generate(user=user), user)


def test_an_issued_password_that_would_spell_a_common_word_is_drawn_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import secrets

    # The first draw spells «gfhjkm» (пароль in the Latin layout) plus digits.
    letters = iter("gfhjkm2345" + "tkwpsmdhrb")
    monkeypatch.setattr(secrets, "choice", lambda alphabet: next(letters))
    from otmetka.accounts.services import password_generate

    assert password_generate(user=world.user("student_7a")) == "tkwpsmdhrb"
