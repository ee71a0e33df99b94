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


def test_openapi_declares_the_error_answers_of_every_operation(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    schema = client_for("teacher_7a_math").get("/api/v1/openapi.json").json()
    writes = 0
    for path, operations in schema["paths"].items():
        if path == "/api/v1/auth/token":  # signing in and out: its own answers, below
            continue
        for method, operation in operations.items():
            expected = {"200", "400", "401", "404"}
            if method in ("post", "patch", "put", "delete"):
                writes += 1
                expected |= {"403", "409", "422"}
                assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"]), path
            responses = operation["responses"]
            assert expected <= set(responses), (method, path, set(responses))
            for status in expected - {"200"}:
                body = responses[status]["content"]["application/json"]["schema"]
                assert body, (method, path, status)
    assert writes == 6  # cells, lesson, files; grading: period marks; messages: send, reply
    sign_in = schema["paths"]["/api/v1/auth/token"]
    assert {"200", "400", "403", "429"} <= set(sign_in["post"]["responses"])
    assert {"200", "401"} <= set(sign_in["delete"]["responses"])
    for path in ("/api/v1/diary/{student_id}/days", "/api/v1/diary/{student_id}/marks"):
        assert "304" in schema["paths"][path]["get"]["responses"]  # ETag / If-None-Match
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["detail"]
    cells = schema["paths"]["/api/v1/lessons/{lesson_id}/cells"]["post"]
    payload = cells["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    changes = schema["components"]["schemas"][payload.rsplit("/", 1)[1]]
    assert changes["properties"]["reason"]["maxLength"] == 500


def test_the_docs_page_loads_its_assets_from_the_journal_itself(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    import re

    from django.contrib.staticfiles import finders

    html = client_for("teacher_7a_math").get("/api/v1/docs").content.decode()
    refs = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert any(r.endswith("swagger-ui-bundle.js") for r in refs), refs
    assert [r for r in refs if "//" in r or not r.startswith("/")] == []
    assert "jsdelivr" not in html and "unpkg" not in html  # the CDNs ninja would use
    for ref in refs:  # every asset is one of our static files
        assert finders.find(ref.removeprefix("/static/")), ref


def test_the_docs_are_not_for_students_guardians_or_anonymous(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    for url in ("/api/v1/docs", "/api/v1/openapi.json"):
        assert client_for(None).get(url).status_code == 302
        assert client_for("student_7a").get(url).status_code == 404
        assert client_for("guardian_7a").get(url).status_code == 404
        assert client_for("director").get(url).status_code == 200


def test_the_schemas_text_limits_are_the_model_columns() -> None:
    from otmetka.api.schemas import AbsenceIn, CellsIn, LessonPatchIn, MarkIn
    from otmetka.audit.models import Event
    from otmetka.journal.models import AbsenceCode, Lesson, Mark

    def limit(schema: type, name: str) -> int:
        prop = schema.model_json_schema()["properties"][name]
        return next(p["maxLength"] for p in prop.get("anyOf", [prop]) if "maxLength" in p)

    def column(model: type, name: str) -> int:
        return model._meta.get_field(name).max_length

    assert limit(MarkIn, "value") == column(Mark, "value")
    assert limit(MarkIn, "comment") == column(Mark, "comment")
    assert limit(AbsenceIn, "code") == column(AbsenceCode, "code")
    assert limit(LessonPatchIn, "topic") == column(Lesson, "topic")
    assert limit(LessonPatchIn, "reason") == limit(CellsIn, "reason") == column(Event, "reason")
