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


def test_the_compose_form_says_komu_and_a_reply_names_its_one_reader_once(
    world: World, client_for: Callable[[str], Client]
) -> None:
    """«Кому» (not the «По» of a date range, the first catalogue's word); the line over a reply
    that goes to one person ends with one full stop after «А.И.»."""
    parent = client_for("guardian_7a")
    compose = parent.get("/messages/new/").content.decode()
    assert ">Кому</label>" in compose and ">По</label>" not in compose
    teacher = world.user("teacher_7a_math")
    sent = parent.post("/messages/new/", {"to": [teacher.pk], "subject": "Т", "body": "Б"})
    assert sent.status_code == 302
    thread = Thread.objects.get()
    page = client_for("teacher_7a_math").get(f"/messages/{thread.pk}/").content.decode()
    short = world.user("guardian_7a").short_name
    assert f"Только {short} увидит ваш ответ." in page
