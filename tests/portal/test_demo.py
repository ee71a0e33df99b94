"""The demo school's website: news, the Положения as approved documents, help links."""

from typing import Any

import pytest
from django.test import Client

from otmetka.demo.generator import generate
from otmetka.portal.models import HelpLink, Publication

pytestmark = pytest.mark.django_db


def test_the_demo_school_has_a_public_website(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    school = generate(schools=1, classes_per_grade=(1, 1), students_per_class=3).schools[0]
    school.refresh_from_db()
    published = Publication.objects.filter(school=school, state="published")
    assert published.filter(kind="news").count() == 3
    assert published.filter(kind="document", category="regulation").count() == 2
    assert HelpLink.objects.filter(school=school, audience="guardians").exists()
    page = Client().get(f"/s/{school.slug}/documents/").content.decode()
    assert "Положение о ведении электронного журнала" in page and "Утверждено директором" in page
    assert Client().get(f"/s/{school.slug}/").status_code == 200
