"""The home page runs the same number of queries for a class of 2 and of 30 students."""

from collections.abc import Callable

import pytest
from django.test import Client

from tests.home.helpers import fill_class, sections
from tests.world import World

# Per request: the session with its user (one read; was two until 01.12.2026; roles, the user's
# schools: the session's auth context), derived
# roles (3), then
# the blocks, and the header's unread messages. Fixed numbers: a change here is deliberate,
# never a function of class size.
# teacher: + the open entries with their deadlines (compliance: one query without lessons).
QUERIES = {"teacher_7a_math": 10, "homeroom_7a": 12, "deputy": 10}  # deputy: + diary views
BLOCKS = {"teacher_7a_math": "teacher", "homeroom_7a": "homeroom", "deputy": "deputy"}


@pytest.mark.parametrize("size", [2, 30])
@pytest.mark.parametrize("persona", list(QUERIES))
def test_home_page_query_count_does_not_grow_with_the_class(
    persona: str,
    size: int,
    world: World,
    client_for: Callable[[str | None], Client],
    django_assert_num_queries: Callable[..., object],
) -> None:
    fill_class(world.class_7a, size)
    client = client_for(persona)
    with django_assert_num_queries(QUERIES[persona]):
        response = client.get("/")
    assert BLOCKS[persona] in sections(response.content.decode())
    if persona == "homeroom_7a":
        assert f"Сегодня в классе {size} обучающихся" in response.content.decode()
