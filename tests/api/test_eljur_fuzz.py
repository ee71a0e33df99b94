"""Property tests of the write calls: arbitrary JSON (hostile texts, NUL, lone surrogates,
huge numbers, wrong types) to ЭлЖур's sendmessage, sendreplymessage and auth and to
/api/v1/auth/token never answers a server error, always answers ЭлЖур's envelope (HTTP status =
state) and writes nothing when it refuses."""

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otmetka.accounts.models import ApiToken
from otmetka.accounts.tokens import token_issue
from otmetka.messaging.models import Message
from tests.world import World

TEXT = st.text(max_size=30) | st.sampled_from(["\x00", "\ud800", "9" * 40, "1,2", "", " "])
VALUE = TEXT | st.integers() | st.booleans() | st.none() | st.lists(st.integers(), max_size=3)
NAMES = st.sampled_from(
    ["users_to", "subject", "text", "replyto", "reply_to", "id", "student", "days", "login",
     "password", "out_format", "devkey", "vendor", "school", "page", "limit"]
) | st.text(max_size=8)  # fmt: skip
PARAMS = st.dictionaries(NAMES, VALUE, max_size=6)
BODIES = PARAMS | st.lists(st.integers(), max_size=2) | st.text(max_size=10) | st.integers()
CASES = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


def _raw(body: Any) -> bytes:
    return json.dumps(body).encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("method", ["sendmessage", "sendreplymessage", "auth"])
def test_eljur_writes_refuse_anything_malformed_in_the_envelope(world: World, method: str) -> None:
    raw, _token = token_issue(user=world.user("guardian_7a"), name="fuzz", writable=True)
    before = Message.objects.count(), ApiToken.objects.count()

    @CASES
    @given(body=BODIES)
    def run(body: Any) -> None:
        if isinstance(body, dict) and method != "auth":
            body = {**body, "auth_token": raw}
        answer = Client().post(f"/apiv3/{method}", _raw(body), content_type="application/json")
        assert answer.status_code < 500
        response = answer.json()["response"]
        assert response["state"] == answer.status_code
        if response["state"] != 200:
            assert isinstance(response["error"], str) and response["error"]
            assert (Message.objects.count(), ApiToken.objects.count()) == before

    run()


def test_the_token_endpoint_refuses_anything_malformed(world: World) -> None:
    @CASES
    @given(body=BODIES)
    def run(body: Any) -> None:
        answer = Client().post("/api/v1/auth/token", _raw(body), content_type="application/json")
        assert answer.status_code in (400, 403, 429), answer.content
        assert isinstance(answer.json()["detail"], str)
        assert ApiToken.objects.count() == 0

    run()
