"""Builders of the portal tests: a document through the whole workflow, pictures."""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from otmetka.portal import services
from otmetka.portal.models import Publication
from tests.messaging.helpers import pdf
from tests.world import World


def document(world: World, *, title: str = "Положение о ведении ЭлЖур", state: str = "published",
             actor: str = "deputy") -> Publication:  # fmt: skip
    """A document of School №1 drafted by `actor`, taken up to `state`."""
    user = world.user(actor)
    item = services.publication_save(
        actor=user, school=world.school, kind="document", title=title, body="Текст положения.",
        category="regulation", doc_number="12-ОД",
    )  # fmt: skip
    services.publication_file_add(actor=user, school=world.school, item=item, upload=pdf())
    if state == "draft":
        return item
    services.publication_submit(actor=user, school=world.school, item=item)
    director = world.user("director")
    if state == "published":
        services.publication_approve(actor=director, school=world.school, item=item)
    elif state == "returned":
        services.publication_return(
            actor=director, school=world.school, item=item, comment="Нет подписи."
        )
    item.refresh_from_db()
    return item


def news(
    world: World, *, title: str = "Новое в ЭлЖур", publish: bool = True, **kw: Any
) -> Publication:
    editor = world.user("web_editor")
    item = services.publication_save(
        actor=editor, school=world.school, kind="news", title=title,
        body=kw.pop("body", "Открыт **дневник** для родителей."), **kw,
    )  # fmt: skip
    if publish:
        services.publication_submit(actor=editor, school=world.school, item=item)
        services.publication_approve(actor=world.user("director"), school=world.school, item=item)
        item.refresh_from_db()
    return item


def jpeg(width: int = 3000, height: int = 2000, *, name: str = "фото.jpg") -> SimpleUploadedFile:
    """A JPEG photo with EXIF data (as a camera writes it)."""
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def consent(world: World, student: Any) -> None:
    """A publication consent («разрешённые для распространения») of the student, in force."""
    import datetime

    from otmetka.people.models import Consent, ConsentKind

    Consent.objects.create(
        school=student.school, student=student, kind=ConsentKind.PUBLICATION,
        signed_by="Родитель", given_on=datetime.date(2026, 9, 1),
        created_by=world.user("secretary"),
    )  # fmt: skip
