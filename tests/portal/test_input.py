"""Bad input changes nothing and gets a clear answer: huge ids, NUL and lone surrogates in the
forms, arbitrary values thrown at the services (hypothesis)."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otmetka.portal import services
from otmetka.portal.models import HelpLink, Publication
from tests.portal.helpers import document
from tests.world import World

pytestmark = pytest.mark.django_db
HUGE = "9" * 25


@pytest.mark.parametrize(
    "url",
    [
        f"/s/{HUGE}/", "/s/1/news/{huge}/", "/s/1/files/{huge}/", f"/s/r/{HUGE}/",
        "/s/1/news/9223372036854775808/",
    ],
)  # fmt: skip
def test_huge_ids_in_public_addresses_are_404(world: World, url: str) -> None:
    url = url.replace("/s/1/", f"/s/{world.school.pk}/").format(huge=HUGE)
    assert Client().get(url).status_code == 404


@pytest.mark.parametrize("url", ["/portal/{huge}/", "/portal/files/{huge}/"])
def test_huge_ids_in_staff_addresses_are_404(world: World, url: str) -> None:
    client = Client()
    client.force_login(world.user("web_editor"))
    assert client.get(url.format(huge=HUGE)).status_code == 404


@pytest.mark.parametrize("title", ["нуль\x00", "x" * 301])  # a lone surrogate: see test_workflow
def test_a_bad_form_is_400_with_nothing_written(world: World, title: str) -> None:
    client = Client()
    client.force_login(world.user("web_editor"))
    response = client.post("/portal/new/news/", {"title": title, "body": "Текст"})
    assert response.status_code == 400
    assert not Publication.objects.exists()


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)
FIELDS = ("title", "body", "category", "doc_number", "doc_date", "students", "consent_checked")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["news", "document"]),
    data=st.fixed_dictionaries({}, optional={f: JSONISH for f in FIELDS}),
)
def test_arbitrary_values_are_saved_or_refused_never_crash(
    world: World, kind: str, data: dict[str, Any]
) -> None:
    before = Publication.objects.count()
    try:
        with transaction.atomic():
            item = services.publication_save(
                actor=world.user("web_editor"), school=world.school, kind=kind, **data
            )
    except ValidationError:
        assert Publication.objects.count() == before
    else:
        assert item.title and len(item.title) <= 300


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.fixed_dictionaries({}, optional={f: JSONISH for f in ("title", "url", "audience")}))
def test_arbitrary_help_links_are_added_or_refused(world: World, data: dict[str, Any]) -> None:
    before = HelpLink.objects.count()
    try:
        with transaction.atomic():
            link = services.help_link_add(
                actor=world.user("web_editor"), school=world.school, **data
            )
    except ValidationError:
        assert HelpLink.objects.count() == before
    else:
        assert link.url.startswith(("https://", "http://", "/"))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(comment=JSONISH)
def test_arbitrary_return_comments(world: World, comment: Any) -> None:
    item = document(world, state="pending")
    try:
        with transaction.atomic():
            services.publication_return(
                actor=world.user("director"), school=world.school, item=item, comment=comment
            )
    except (ValidationError, PermissionDenied):
        item.refresh_from_db()
        assert item.state == "pending"
