"""Property test: arbitrary form data thrown at the send and reply pages as a teacher and as a
parent: never a 5xx, and a refused request (anything but the redirect of a sent message)
writes nothing — on SQLite and PostgreSQL alike."""

from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otmetka.audit.models import Event
from otmetka.messaging.models import Attachment, Message, Participant, Thread
from tests.world import World

Clients = Callable[[str | None], Client]
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOSTILE = st.sampled_from(
    ["", "\x00", "\ud800", "Тема\x00", "😀", "н" * 5001, "x" * 300, " ", "<script>", "-1",
     "0", "2147483648", "99999999999999999999", "parents:1", "class:abc", "grade:7", "teachers",
     "on", "1e9", "1.5"]
)  # fmt: skip
VALUES = st.lists(HOSTILE | st.text(max_size=30) | st.integers().map(str), max_size=3)
FIELDS = st.sampled_from(
    ["to", "groups", "subject", "body", "announcement", "needs_ack", "to_user", "x"]
)
FORMS = st.dictionaries(FIELDS, VALUES, max_size=6)


def _state() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Thread, Message, Participant, Attachment, Event))


def _post(client: Client, url: str, data: dict) -> int:
    body = urlencode(data, doseq=True, encoding="utf-8", errors="surrogatepass")
    return client.post(url, body, "application/x-www-form-urlencoded").status_code


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["teacher_7a_math", "guardian_7a"])
def test_arbitrary_forms_at_the_send_page(
    world: World, client_for: Clients, persona: str, settings: object
) -> None:
    settings.OTMETKA_MESSAGES_PER_HOUR = 1000  # type: ignore[attr-defined]
    client = client_for(persona)

    @FUZZ
    @given(data=FORMS)
    def check(data: dict) -> None:
        before = _state()
        status = _post(client, "/messages/new/", data)
        assert status in (200, 302, 400)
        if status != 302:
            assert _state() == before

    check()


def _valid_body(data: dict) -> bool:
    """What the reply service accepts: the last `body` sent, stripped, 1–5000 storable chars."""
    body = (data.get("body") or [""])[-1].strip()
    return (
        0 < len(body) <= 5000
        and "\x00" not in body
        and not any(0xD800 <= ord(c) <= 0xDFFF for c in body)
    )


@pytest.mark.django_db
def test_arbitrary_forms_at_the_reply_page(
    world: World, client_for: Clients, settings: object
) -> None:
    from otmetka.messaging.services import thread_start

    settings.OTMETKA_MESSAGES_PER_HOUR = 1000  # type: ignore[attr-defined]
    thread = thread_start(
        actor=world.user("teacher_7a_math"), school=world.school, subject="Тема", body="Текст",
        user_ids=[world.user("guardian_7a").pk],
    )  # fmt: skip
    client = client_for("guardian_7a")

    @FUZZ
    @given(data=FORMS)
    def check(data: dict) -> None:
        before = Message.objects.count()
        state = _state()
        assert _post(client, f"/messages/{thread.pk}/reply/", data) == 302
        if _valid_body(data):
            assert Message.objects.count() == before + 1
        else:
            assert _state() == state

    check()
