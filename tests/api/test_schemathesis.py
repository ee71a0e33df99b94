"""A bounded schemathesis run against /api/v1/ as a logged-in teacher (session cookie and CSRF
header, as the browser sends them) through the WSGI app: no operation answers with a server
error, and every answer is one the OpenAPI schema declares, with its declared body."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.journal.helpers import TODAY, code, kind, lesson_on
from tests.world import World

CSRF = "A" * 32  # an unmasked CSRF secret: Django accepts it as cookie and header alike
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def teacher(world: World, client_for: Callable[[str | None], Client]) -> dict[str, Any]:
    """The teacher's session and a lesson of today with a kind of work and an absence code."""
    lesson = lesson_on(world.course_7a_math, TODAY)
    kind(world)
    code(world, "н")
    client = client_for("teacher_7a_math")
    return {
        "client": client,
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF},
        "headers": {"X-CSRFToken": CSRF},
        "lesson": lesson.pk,
        "course": world.course_7a_math.pk,
    }


@pytest.fixture
def api_schema(teacher: dict[str, Any], settings: Any) -> Iterator[Any]:
    """The API's own OpenAPI schema (as the teacher reads it), called through the WSGI app."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    loaded = schemathesis.openapi.from_dict(teacher["client"].get("/api/v1/openapi.json").json())
    loaded.app = get_wsgi_application()
    # As Django's test client does: a request's start and end must not close the test's
    # connection (on PostgreSQL that would drop the test's transaction).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield loaded
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


OPERATIONS = [
    ("GET", "/api/v1/journal/{course_id}"),
    ("POST", "/api/v1/lessons/{lesson_id}/cells"),
    ("PATCH", "/api/v1/lessons/{lesson_id}"),
    ("POST", "/api/v1/lessons/{lesson_id}/files"),
    ("GET", "/api/v1/lessons/{lesson_id}/history"),
    ("GET", "/api/v1/grading/courses/{course_id}/period-marks"),
    ("POST", "/api/v1/grading/courses/{course_id}/period-marks"),
    ("GET", "/api/v1/grading/students/{student_id}/period-marks"),
    ("GET", "/api/v1/messages/"),
    ("POST", "/api/v1/messages/"),
    ("GET", "/api/v1/messages/receivers"),
    ("GET", "/api/v1/messages/{thread_id}"),
    ("POST", "/api/v1/messages/{thread_id}/reply"),
    # The diary (read-only; the teacher reads no diary, so a found path answers 404).
    ("GET", "/api/v1/diary/children"),
    ("GET", "/api/v1/diary/{student_id}/week"),
    ("GET", "/api/v1/diary/{student_id}/marks"),
    ("GET", "/api/v1/diary/{student_id}/homework"),
    ("GET", "/api/v1/diary/{student_id}/periods"),
    ("GET", "/api/v1/diary/{student_id}/days"),
    ("GET", "/api/v1/diary/{student_id}/timetable"),
    # Issue 17: signing in and out, who am I.
    ("POST", "/api/v1/auth/token"),
    ("DELETE", "/api/v1/auth/token"),
    ("GET", "/api/v1/me"),
]


def test_the_run_covers_every_operation(api_schema: Any) -> None:
    found = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


def bounded(examples: int) -> Any:
    """A bounded, repeatable hypothesis run (no deadline: a shared machine is slow)."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )


# schemathesis' own pytest plugin (`schema.parametrize()`) does not run under pytest 9 (it reads
# `request.node._nodeid`), so each operation's strategy is driven by hypothesis directly.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_the_api_never_answers_with_a_server_error(
    api_schema: Any, teacher: dict[str, Any], method: str, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method]

    @bounded(15)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        # The teacher's own lesson and course, so bodies reach the journal's rules and not a
        # 404 (hostile ids in the path are the property test's part: tests/api/test_fuzz.py).
        for name, value in (("lesson_id", teacher["lesson"]), ("course_id", teacher["course"])):
            if name in (case.path_parameters or {}):
                case.path_parameters[name] = value
        case.call_and_validate(
            headers=teacher["headers"], cookies=teacher["cookies"], checks=CHECKS
        )

    run()


# The same run with a parent's token (a bearer header, no cookie, no CSRF), over what a diary
# app calls: the parent's own child in the path, so answers reach the selectors.
TOKEN_OPERATIONS = [
    ("GET", "/api/v1/me"),
    *[op for op in OPERATIONS if op[1].startswith("/api/v1/diary/")],
    *[op for op in OPERATIONS if op[1] in ("/api/v1/messages/", "/api/v1/messages/receivers")],
    ("POST", "/api/v1/messages/{thread_id}/reply"),
]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), TOKEN_OPERATIONS)
def test_the_api_with_a_token_never_answers_with_a_server_error(
    api_schema: Any, world: World, method: str, path: str, mode: GenerationMode
) -> None:
    from otmetka.accounts.tokens import token_issue

    raw, _token = token_issue(user=world.user("guardian_7a"), name="fuzz", writable=True)
    headers = {"Authorization": f"Bearer {raw}"}
    operation = api_schema[path][method]

    @bounded(10)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        if "student_id" in (case.path_parameters or {}):
            case.path_parameters["student_id"] = world.pupil_7a.pk
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
