"""A sent message is checked against the people it names only (no whole-school list on every
send); a form sent back with an error lists everyone the writer may choose again."""

from collections.abc import Callable

from django.test import Client

from otmetka.messaging.models import Thread
from tests.world import World


def test_a_named_person_is_sent_to_and_a_foreign_one_refused_with_the_list_shown(
    world: World, client_for: Callable[[str], Client]
) -> None:
    client = client_for("teacher_7a_math")
    parent, other = world.user("guardian_7a"), world.user("teacher_7b")
    sent = client.post("/messages/new/", {"to": [parent.pk], "subject": "Т", "body": "Б"})
    assert sent.status_code == 302 and Thread.objects.count() == 1
    outsider = world.other_pupil.guardians.first()
    foreign = outsider.user_id if outsider else 10**9
    for bad in (str(foreign), "99999999999999999999", "abc"):
        refused = client.post("/messages/new/", {"to": [bad], "subject": "Т", "body": "Б"})
        assert refused.status_code == 400 and Thread.objects.count() == 1
        page = refused.content.decode()
        assert f'value="{parent.pk}"' in page and f'value="{other.pk}"' in page
