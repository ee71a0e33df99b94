"""Every endpoint × every persona gets exactly the status the registry expects."""

from collections.abc import Callable

import pytest
from django.test import Client

from tests.access.endpoints import ENDPOINTS, Endpoint, Persona
from tests.world import PERSONAS, World

ALL_PERSONAS: tuple[Persona, ...] = (*PERSONAS, None)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_every_endpoint_names_a_status_for_every_persona_and_no_one_else(
    endpoint: Endpoint,
) -> None:
    assert set(endpoint.expected) == set(ALL_PERSONAS)


def test_endpoint_names_are_unique() -> None:
    names = [e.name for e in ENDPOINTS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("persona", ALL_PERSONAS, ids=lambda p: p or "anonymous")
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_persona_gets_the_expected_status(
    endpoint: Endpoint,
    persona: Persona,
    world: World,
    client_for: Callable[[Persona], Client],
) -> None:
    assert persona in endpoint.expected, f"{endpoint.name}: no expected status for {persona}"
    client = client_for(persona)
    url, data = endpoint.url_factory(world), endpoint.data_factory(world)
    response = getattr(client, endpoint.method)(url, data or {})
    assert response.status_code == endpoint.expected[persona], (
        f"{endpoint.method.upper()} {url} as {persona or 'anonymous'}"
    )
