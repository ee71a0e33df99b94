"""Every endpoint × every persona gets exactly the status the registry expects.

The world is built once per module (inside a transaction that is rolled back at the end); each
case runs in pytest-django's transaction of its own (a savepoint inside it), so a POST that writes
leaves nothing for the next case.
"""

import json
from collections.abc import Iterator

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.access.endpoints import COLUMNS, ROUTES, STATUSES, Persona
from tests.conftest import TODAY
from tests.world import PERSONAS, World, build_world


def status_table(text: str) -> dict[str, dict[Persona, int]]:
    """Rows of the grid: endpoint name (may contain spaces) → persona → status."""
    lines = text.strip().splitlines()
    columns = lines[0].split()[1:]
    table: dict[str, dict[Persona, int]] = {}
    for line in lines[1:]:
        words = line.split()
        name, cells = " ".join(words[: -len(columns)]), words[-len(columns) :]
        assert name not in table, f"two rows named {name!r}"
        table[name] = {COLUMNS[c]: int(cell) for c, cell in zip(columns, cells, strict=True)}
    return table


TABLE = status_table(STATUSES)
CASES = [(name, persona) for name in ROUTES for persona in (*PERSONAS, None)]


def test_the_grid_has_a_column_for_every_persona_and_the_anonymous_visitor() -> None:
    assert set(COLUMNS.values()) == {*PERSONAS, None}
    header = STATUSES.strip().splitlines()[0].split()[1:]
    assert sorted(header) == sorted(COLUMNS)


def test_every_route_has_a_row_and_every_row_a_route() -> None:
    assert set(ROUTES) == set(TABLE)


def _patterns(resolvers: list, prefix: str = "") -> Iterator[str]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


# Routes outside the table, each for a reason: Django's own admin (the installation superuser's,
# tested in tests/core), the language switch (public by design) and the API's documents.
UNTABLED_PREFIXES = ("django-admin/", "i18n/")


@pytest.fixture(scope="module")
def table_world(django_db_setup: None, django_db_blocker: object) -> Iterator[World]:
    """One world for the whole table, rolled back when the module is done."""
    with django_db_blocker.unblock(), time_machine.travel(TODAY, tick=False):  # type: ignore[attr-defined]
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_route_of_the_url_map_has_an_endpoint_in_the_table(table_world: World) -> None:
    """A new page or API route without a row fails here (fail-closed)."""
    covered = set()
    for route in ROUTES.values():
        covered.add(resolve(route.url(table_world).split("?")[0]).route)
    routes = {
        p for p in _patterns(get_resolver().url_patterns) if not p.startswith(UNTABLED_PREFIXES)
    }
    missing = sorted(routes - covered)
    assert missing == [], "\n".join(missing)


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "persona"), CASES, ids=lambda v: str(v or "anonymous"))
def test_persona_gets_the_expected_status(
    endpoint: str, persona: Persona, table_world: World, settings: object
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    route = ROUTES[endpoint]
    client = Client()
    if persona is not None:
        client.force_login(table_world.user(persona))
    url, data = route.url(table_world), route.data(table_world)
    if route.json:
        response = getattr(client, route.method)(url, json.dumps(data), "application/json")
    else:
        response = getattr(client, route.method)(url, data or {})
    assert response.status_code == TABLE[endpoint][persona], (
        f"{route.method.upper()} {url} as {persona or 'anonymous'}"
    )
