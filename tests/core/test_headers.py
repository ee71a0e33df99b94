"""Security headers: a strict Content-Security-Policy everywhere, no caching of personal data,
Referrer-Policy and nosniff, HSTS over HTTPS when the installation says it runs on HTTPS."""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.world import World

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
TEMPLATES = Path(__file__).parents[2] / "src" / "otmetka"


def _policy(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.parametrize("persona", ["teacher_7a_math", None])
def test_every_page_has_the_strict_policy_referrer_policy_and_nosniff(
    persona: str | None, client_for: Callable[[str | None], Client]
) -> None:
    url = "/" if persona else "/accounts/login/"
    response = client_for(persona).get(url)
    assert response.status_code == 200
    assert _policy(response["Content-Security-Policy"]) == CSP
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


# E-mails (messaging's one message and the daily digest), never pages: checked by name, so a new
# e-mail template has to be added here on purpose.
MAIL_TEMPLATES = {"mail.html", "digest.html"}


def test_templates_hold_no_inline_script_style_or_handler() -> None:
    """What the policy would block: <style>, style="…", on…="…" and inline <script>."""
    offending = []
    for template in TEMPLATES.glob("*/templates/**/*.html"):
        if template.name in MAIL_TEMPLATES:
            continue  # an e-mail's HTML, never served as a page: mail readers need inline styles
        text = template.read_text(encoding="utf-8")
        for needle in ("<style", " style=", " onclick=", " onchange=", " onsubmit=", " onload="):
            if needle in text:
                offending.append(f"{template.name}: {needle.strip()}")
        if "<script>" in text or '<script type="module">' in text:
            offending.append(f"{template.name}: inline <script>")
    assert offending == []


@pytest.mark.parametrize(
    "url",
    ["/", "/journal/", "/django-admin/"],
)
def test_pages_for_a_logged_in_user_are_not_stored(
    url: str, world: World, client_for: Callable[[str | None], Client]
) -> None:
    response = client_for("teacher_7a_math").get(url)
    # Ours, or the admin's own never_cache (which says the same and more)
    assert {"no-store", "private"} <= {p.strip() for p in response["Cache-Control"].split(",")}


def test_api_answers_are_not_stored(
    world: World, client_for: Callable[[str | None], Client]
) -> None:
    response = client_for("teacher_7a_math").get(f"/api/v1/journal/{world.course_7a_math.pk}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_api_answers_carry_the_policy_and_follow_a_changed_setting(
    world: World, client_for: Callable[[str | None], Client], settings: Any
) -> None:
    """The policy text is built once (core.middleware.CSPMiddleware) and forgotten when the
    setting changes: an API answer carries the strict policy, then the changed one."""
    client = client_for("teacher_7a_math")
    url = f"/api/v1/journal/{world.course_7a_math.pk}"
    assert _policy(client.get(url)["Content-Security-Policy"]) == CSP
    directives = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'"]}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    assert _policy(client.get(url)["Content-Security-Policy"])["img-src"] == "'self'"


def test_the_login_page_with_its_csrf_cookie_is_not_stored(db: None) -> None:
    response = Client().get("/accounts/login/")
    assert response["Cache-Control"] == "no-store, private"


def test_static_files_keep_their_long_cache(db: None) -> None:
    response = Client().get("/static/core/otmetka.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Content-Security-Policy" not in response


def test_hsts_over_https_without_subdomains(settings: object, db: None) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.parametrize(
    ("environment", "seconds"),
    [({"SECURE_COOKIES": "1"}, "31536000"), ({}, "0"), ({"SECURE_COOKIES": "0"}, "0")],
)
def test_hsts_is_on_exactly_when_secure_cookies_is(
    environment: dict[str, str], seconds: str, tmp_path: Path
) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in {"SECURE_COOKIES", "SECURE_HSTS_SECONDS"}
    }
    env.update(
        environment,
        OTMETKA_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="otmetka.config.settings",
    )
    code = "from django.conf import settings; print(settings.SECURE_HSTS_SECONDS)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stdout.strip() == seconds, done.stderr
