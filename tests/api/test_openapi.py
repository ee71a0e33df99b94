"""The API describes itself (OpenAPI) for the mobile and offline clients to come."""

from collections.abc import Callable

from django.test import Client

from tests.world import World


def test_openapi_lists_the_journal_endpoints(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    paths = client_for("teacher_7a_math").get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/journal/{course_id}",
        "/api/v1/lessons/{lesson_id}/cells",
        "/api/v1/lessons/{lesson_id}",
        "/api/v1/lessons/{lesson_id}/files",
        "/api/v1/lessons/{lesson_id}/history",
    } <= set(paths)
    assert client_for("teacher_7a_math").get("/api/v1/docs").status_code == 200
