"""The public pages: only approved items, for anyone without login, cacheable for a minute,
sanitised text, pictures resized with the original kept, Atom feeds that parse, the sitemap."""

import io
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from otmetka.portal import services
from otmetka.portal.markup import markdown_html
from otmetka.portal.models import PublicationFile
from tests.portal.helpers import document, jpeg, news
from tests.world import World

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _get(url: str) -> Any:
    return Client().get(url)


def test_an_approved_document_is_public_and_cacheable(world: World) -> None:
    item = document(world)
    page = _get(f"/s/{world.school.pk}/documents/")
    assert page.status_code == 200
    assert page["Cache-Control"] == "public, max-age=60"
    text = page.content.decode()
    assert item.title in text and "Утверждено директором" in text and "Положения" in text
    file = item.files.get()
    download = _get(f"/s/{world.school.pk}/files/{file.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("state", ["draft", "pending", "returned"])
def test_an_item_not_approved_is_not_public(world: World, state: str) -> None:
    item = document(world, state=state)
    assert item.title not in _get(f"/s/{world.school.pk}/documents/").content.decode()
    file = item.files.get()
    assert _get(f"/s/{world.school.pk}/files/{file.pk}/").status_code == 404
    assert item.title not in _get(f"/s/{world.school.pk}/feeds/documents/").content.decode()


def test_staff_pages_are_not_public_and_not_cached(world: World) -> None:
    client = Client()
    client.force_login(world.user("web_editor"))
    assert "public" not in client.get("/portal/")["Cache-Control"]


def test_a_school_with_a_slug_lives_at_its_slug(world: World) -> None:
    services.site_save(
        actor=world.user("web_editor"), school=world.school, slug="stolbovaya",
        address="с. Столбовое, ул. Школьная, 1", phone="+7 365 000-00-00",
    )  # fmt: skip
    page = _get("/s/stolbovaya/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "ул. Школьная" in text and "Лункина Ольга Леонидовна" in text  # the director
    assert _get(f"/s/{world.school.pk}/").status_code == 404  # the id gives way to the slug
    assert _get("/s/no-such-school/").status_code == 404


def test_another_school_cannot_take_the_slug(world: World) -> None:
    world.school.slug = "stolbovaya"
    world.school.save()
    from otmetka.access.models import Role, RoleMembership

    other = world.user("teacher_other_school")
    RoleMembership.objects.create(user=other, role=Role.WEB_EDITOR, school=world.other_school)
    with pytest.raises(Exception, match="занят"):
        services.site_save(actor=other, school=world.other_school, slug="stolbovaya")


def test_the_text_is_sanitised() -> None:
    html = str(
        markdown_html(
            "## Итоги\n\n<script>alert(1)</script> **жирно** [плохо](javascript:alert(1)) "
            "[хорошо](https://example.org) ![x](https://tracker.example/p.png)"
        )
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "javascript:" not in html.replace("[плохо](javascript:alert(1))", "")
    assert '<a href="https://example.org">' in html and "<strong>жирно</strong>" in html
    assert "<img" not in html and "<h3>Итоги</h3>" in html


def test_a_picture_is_resized_and_the_original_kept_only_for_staff(world: World) -> None:
    editor = world.user("web_editor")
    item = news(world, publish=False)
    row = services.publication_file_add(
        actor=editor, school=world.school, item=item, upload=jpeg(), alt="Линейка 1 сентября"
    )
    with Image.open(row.display.path) as shown:
        assert max(shown.size) == 1280 and not shown.getexif()
    with Image.open(row.file.path) as original:
        assert original.size == (3000, 2000)
    services.publication_save(
        actor=editor, school=world.school, kind="news", item=item, title=item.title,
        body=item.body, consent_checked=True,
    )  # fmt: skip
    services.publication_submit(actor=editor, school=world.school, item=item)
    services.publication_approve(actor=world.user("director"), school=world.school, item=item)
    page = _get(f"/s/{world.school.pk}/news/{item.pk}/").content.decode()
    assert 'alt="Линейка 1 сентября"' in page
    picture = _get(f"/s/{world.school.pk}/files/{row.pk}/")
    assert picture["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(picture.streaming_content))).size[0] == 1280


def test_a_picture_needs_a_description_and_a_fake_picture_is_refused(world: World) -> None:
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = news(world, publish=False)
    editor = world.user("web_editor")
    with pytest.raises(ValidationError):
        services.publication_file_add(actor=editor, school=world.school, item=item, upload=jpeg())
    fake = SimpleUploadedFile("фото.jpg", b"<html><script>1</script></html>")
    with pytest.raises(ValidationError):
        services.publication_file_add(
            actor=editor, school=world.school, item=item, upload=fake, alt="x"
        )
    assert not PublicationFile.objects.exists()


@pytest.mark.parametrize("kind", ["news", "documents"])
def test_the_atom_feed_parses(world: World, kind: str) -> None:
    item = news(world) if kind == "news" else document(world)
    response = _get(f"/s/{world.school.pk}/feeds/{kind}/")
    assert response.status_code == 200 and "atom" in response["Content-Type"]
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == [item.title]


def test_the_sitemap_lists_the_schools_pages_and_the_news(world: World) -> None:
    item = news(world)
    root = ET.fromstring(_get("/s/sitemap.xml").content)
    locs = [e.text or "" for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(loc.endswith(f"/s/{world.school.pk}/documents/") for loc in locs)
    assert any(loc.endswith(f"/s/{world.school.pk}/news/{item.pk}/") for loc in locs)


def test_the_region_page_lists_its_schools_with_links(world: World) -> None:
    region = world.school.district.region
    text = _get(f"/s/r/{region.pk}/").content.decode()
    assert f'href="/s/{world.school.pk}/"' in text and f'href="/s/{world.other_school.pk}/"' in text
    assert region.name in _get("/s/").content.decode()


def test_help_links_are_shown_by_audience(world: World) -> None:
    services.help_link_add(
        actor=world.user("web_editor"), school=world.school, title="Инструкция для родителей",
        url="https://example.org/parents.pdf", audience="guardians",
    )  # fmt: skip
    text = _get(f"/s/{world.school.pk}/help/").content.decode()
    assert "Как войти в дневник" in text and "Инструкция для родителей" in text
    with pytest.raises(Exception, match="https"):
        services.help_link_add(
            actor=world.user("web_editor"), school=world.school, title="x",
            url="javascript:alert(1)", audience="all",
        )  # fmt: skip


@pytest.mark.parametrize("n", [2, 12])
def test_the_news_page_reads_a_fixed_number_of_queries(
    world: World, n: int, django_assert_num_queries: Any
) -> None:
    for i in range(n):
        news(world, title=f"Новость {i}")
    with django_assert_num_queries(3):  # the school, a page of news, their files
        assert _get(f"/s/{world.school.pk}/news/").status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_the_queue_reads_a_fixed_number_of_queries(
    world: World, n: int, django_assert_max_num_queries: Any
) -> None:
    for i in range(n):
        news(world, title=f"Новость {i}", publish=i % 2 == 0)
    client = Client()
    client.force_login(world.user("director"))
    client.get("/portal/")  # the session's auth context is built on the first page
    with django_assert_max_num_queries(9):
        assert client.get("/portal/").status_code == 200
