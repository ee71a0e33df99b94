"""The endpoint registry: every page × every persona of the world → the expected HTTP status.

`tests/access/test_endpoint_table.py` iterates it. Every row names a status for EVERY persona of
`tests.world.PERSONAS` and for the anonymous visitor (`None`); a row that forgets one fails the
table test (fail-closed). Add a row for each new page; `expect(...)` takes every persona as a
required keyword, so a forgotten persona is a TypeError at import time.

Statuses: 200 page, 302 redirect (anonymous → login, or after a successful POST), 403 readable
but not writable, 404 missing or forbidden, 405 wrong method.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tests.world import World

Persona = str | None


@dataclass(frozen=True)
class Endpoint:
    """One request of the table and the status each persona must get."""

    name: str
    method: str
    url_factory: Callable[[World], str]
    data_factory: Callable[[World], dict | None]
    expected: dict[Persona, int]

    def __str__(self) -> str:
        return self.name


def no_data(world: World) -> None:
    """Requests without a body or query."""
    return None


def expect(
    *,
    anonymous: int,
    admin: int,
    deputy: int,
    director: int,
    secretary: int,
    nurse: int,
    web_editor: int,
    teacher_7a_math: int,
    teacher_7b: int,
    homeroom_7a: int,
    student_7a: int,
    student_7b: int,
    guardian_7a: int,
    teacher_other_school: int,
    region_viewer: int,
    outsider: int,
) -> dict[Persona, int]:
    """Expected statuses; every persona is a required keyword (anonymous is the `None` key)."""
    table: dict[Persona, int] = {None: anonymous}
    table.update(
        admin=admin,
        deputy=deputy,
        director=director,
        secretary=secretary,
        nurse=nurse,
        web_editor=web_editor,
        teacher_7a_math=teacher_7a_math,
        teacher_7b=teacher_7b,
        homeroom_7a=homeroom_7a,
        student_7a=student_7a,
        student_7b=student_7b,
        guardian_7a=guardian_7a,
        teacher_other_school=teacher_other_school,
        region_viewer=region_viewer,
        outsider=outsider,
    )
    return table


ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "home",
        "get",
        lambda w: "/",
        no_data,
        # An outsider is logged in but has no school: the page says so (200).
        expect(
            anonymous=302,
            admin=200,
            deputy=200,
            director=200,
            secretary=200,
            nurse=200,
            web_editor=200,
            teacher_7a_math=200,
            teacher_7b=200,
            homeroom_7a=200,
            student_7a=200,
            student_7b=200,
            guardian_7a=200,
            teacher_other_school=200,
            region_viewer=200,
            outsider=200,
        ),
    ),
    Endpoint(
        "school switch to school 1",
        "post",
        lambda w: "/school/switch/",
        lambda w: {"school": w.school.pk},
        # Switching redirects home; a school that is not the user's is 404.
        expect(
            anonymous=302,
            admin=302,
            deputy=302,
            director=302,
            secretary=302,
            nurse=302,
            web_editor=302,
            teacher_7a_math=302,
            teacher_7b=302,
            homeroom_7a=302,
            student_7a=302,
            student_7b=302,
            guardian_7a=302,
            teacher_other_school=404,
            region_viewer=302,
            outsider=404,
        ),
    ),
    Endpoint(
        "school switch to the other school",
        "post",
        lambda w: "/school/switch/",
        lambda w: {"school": w.other_school.pk},
        expect(
            anonymous=302,
            admin=404,
            deputy=404,
            director=404,
            secretary=404,
            nurse=404,
            web_editor=404,
            teacher_7a_math=404,
            teacher_7b=404,
            homeroom_7a=404,
            student_7a=404,
            student_7b=404,
            guardian_7a=404,
            teacher_other_school=302,
            region_viewer=302,
            outsider=404,
        ),
    ),
    Endpoint(
        "school switch by GET",
        "get",
        lambda w: "/school/switch/",
        no_data,
        expect(
            anonymous=302,
            admin=405,
            deputy=405,
            director=405,
            secretary=405,
            nurse=405,
            web_editor=405,
            teacher_7a_math=405,
            teacher_7b=405,
            homeroom_7a=405,
            student_7a=405,
            student_7b=405,
            guardian_7a=405,
            teacher_other_school=405,
            region_viewer=405,
            outsider=405,
        ),
    ),
    Endpoint(
        "password change page",
        "get",
        lambda w: "/accounts/password/",
        no_data,
        expect(
            anonymous=302,
            admin=200,
            deputy=200,
            director=200,
            secretary=200,
            nurse=200,
            web_editor=200,
            teacher_7a_math=200,
            teacher_7b=200,
            homeroom_7a=200,
            student_7a=200,
            student_7b=200,
            guardian_7a=200,
            teacher_other_school=200,
            region_viewer=200,
            outsider=200,
        ),
    ),
    Endpoint(
        "logout",
        "post",
        lambda w: "/accounts/logout/",
        no_data,
        expect(
            anonymous=302,
            admin=302,
            deputy=302,
            director=302,
            secretary=302,
            nurse=302,
            web_editor=302,
            teacher_7a_math=302,
            teacher_7b=302,
            homeroom_7a=302,
            student_7a=302,
            student_7b=302,
            guardian_7a=302,
            teacher_other_school=302,
            region_viewer=302,
            outsider=302,
        ),
    ),
]
