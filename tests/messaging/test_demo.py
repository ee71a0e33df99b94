"""The demo school has messages: a conversation with a reply, a student's question, the
deputy's message to all teachers, and an announcement read and acknowledged by part of the
parents — and the demo parent sees them."""

import pytest
from django.test import Client

from otmetka.demo.generator import SIZES, generate
from otmetka.messaging import selectors
from otmetka.messaging.models import Thread
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_demo_school_has_threads_and_an_announcement_with_partial_receipts(
    school_day: object,
) -> None:
    result = generate(seed=7, today=TODAY.date(), **SIZES["tiny"])
    users = {a.key: a.user for a in result.accounts}
    school = result.schools[0]
    subjects = set(Thread.objects.filter(school=school).values_list("subject", flat=True))
    assert {"Контрольная работа в пятницу", "Родительское собрание"} <= subjects
    announcement = Thread.objects.get(subject="Родительское собрание")
    _t, rows = selectors.receipts(user=users["homeroom"], school=school, thread_id=announcement.pk)
    read = sum(1 for r in rows if r.read_at)
    assert 0 < read < len(rows)
    assert 0 < sum(1 for r in rows if r.acknowledged_at) <= read
    client = Client()
    client.force_login(users["guardian"])
    page = client.get("/messages/").content.decode()
    assert "Контрольная работа в пятницу" in page
