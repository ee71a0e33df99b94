"""Sending, replying, receipts, acknowledgement, hiding, reporting; limits and bad input change
nothing; sending is audited without the text."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from otmetka.audit.models import Event
from otmetka.messaging import selectors, services
from otmetka.messaging.models import Attachment, Message, Participant, Thread
from tests.messaging.helpers import families, pdf, send
from tests.world import World

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return (
        Thread.objects.count(),
        Message.objects.count(),
        Participant.objects.count(),
        Attachment.objects.count(),
    )


def test_a_teacher_writes_to_a_parent_who_sees_it_unread_then_read(world: World) -> None:
    thread = send(world, "teacher_7a_math", ["guardian_7a"], files=[pdf()])
    parent = world.user("guardian_7a")
    assert selectors.unread_count(user=parent, school=world.school) == 1
    view = selectors.thread_view(user=parent, school=world.school, thread_id=thread.pk)
    assert [m.body for m in view.messages] == ["Собрание в четверг в 18:00."]
    assert view.messages[0].attachments.get().name == "задание.pdf"
    services.thread_read(actor=parent, participant=view.participant)
    assert selectors.unread_count(user=parent, school=world.school) == 0
    _t, rows = selectors.receipts(
        user=world.user("teacher_7a_math"), school=world.school, thread_id=thread.pk
    )
    assert [(r.user, r.read_at is not None) for r in rows] == [(parent, True)]


def test_sending_is_audited_with_whom_but_not_the_text(world: World) -> None:
    send(world, "teacher_7a_math", ["guardian_7a"])
    event = Event.objects.get(action="message_send")
    assert event.actor == world.user("teacher_7a_math")
    assert event.after["to"] == [world.user("guardian_7a").pk]
    assert "Собрание" not in str(event.after) and "Собрание" not in str(event.before)


def test_a_parents_reply_in_a_class_thread_goes_to_the_teacher_alone(world: World) -> None:
    parents = families(world, 2)
    thread = send(world, "teacher_7a_math", [], groups=[f"parents:{world.class_7a.pk}"])
    assert thread.participants.count() == 4  # 3 parents and the author
    services.thread_reply(
        actor=parents[0], school=world.school, thread_id=thread.pk, body="Придём."
    )
    teacher_view = selectors.thread_view(
        user=world.user("teacher_7a_math"), school=world.school, thread_id=thread.pk
    )
    assert [m.body for m in teacher_view.messages][-1] == "Придём."
    other = selectors.thread_view(user=parents[1], school=world.school, thread_id=thread.pk)
    assert [m.body for m in other.messages] == ["Собрание в четверг в 18:00."]
    assert selectors.unread_count(user=parents[1], school=world.school) == 1  # only the first
    assert teacher_view.reply_to == parents[0]


def test_an_announcement_to_30_families_shows_who_has_not_read_it(world: World) -> None:
    parents = families(world, 29)
    thread = send(
        world, "homeroom_7a", [], groups=[f"parents:{world.class_7a.pk}"],
        announcement=True, needs_ack=True,
    )  # fmt: skip
    for parent in parents[:21]:
        view = selectors.thread_view(user=parent, school=world.school, thread_id=thread.pk)
        services.thread_read(actor=parent, participant=view.participant)
    services.thread_acknowledge(actor=parents[0], school=world.school, thread_id=thread.pk)
    _t, rows = selectors.receipts(
        user=world.user("homeroom_7a"), school=world.school, thread_id=thread.pk
    )
    assert len(rows) == 30
    assert sum(1 for r in rows if r.read_at) == 21
    assert sum(1 for r in rows if r.acknowledged_at) == 1
    assert all(r.read_at is None for r in rows[:9])  # the unread come first
    with pytest.raises(ValidationError):
        services.thread_reply(
            actor=parents[0], school=world.school, thread_id=thread.pk, body="Ответ"
        )


def test_receipts_are_the_authors_only(world: World) -> None:
    thread = send(world, "teacher_7a_math", ["guardian_7a"])
    with pytest.raises(Http404):
        selectors.receipts(user=world.user("guardian_7a"), school=world.school, thread_id=thread.pk)


def test_hiding_is_for_ones_own_view_and_a_new_reply_brings_it_back(world: World) -> None:
    thread = send(world, "teacher_7a_math", ["guardian_7a"])
    parent, teacher = world.user("guardian_7a"), world.user("teacher_7a_math")
    services.thread_hide(actor=parent, school=world.school, thread_id=thread.pk)
    assert selectors.folder(user=parent, school=world.school, name="inbox") == []
    assert len(selectors.folder(user=teacher, school=world.school, name="sent")) == 1
    with pytest.raises(Http404):
        selectors.thread_view(user=parent, school=world.school, thread_id=thread.pk)
    services.thread_reply(actor=teacher, school=world.school, thread_id=thread.pk, body="Ещё")
    assert len(selectors.folder(user=parent, school=world.school, name="inbox")) == 1


def test_the_director_reads_a_thread_only_once_it_is_reported(world: World) -> None:
    thread = send(world, "teacher_7a_math", ["guardian_7a"])
    director = world.user("director")
    with pytest.raises(Http404):
        selectors.thread_view(user=director, school=world.school, thread_id=thread.pk)
    services.thread_report(
        actor=world.user("guardian_7a"), school=world.school, thread_id=thread.pk,
        reason="Грубость",
    )  # fmt: skip
    view = selectors.thread_view(user=director, school=world.school, thread_id=thread.pk)
    assert view.participant is None and not view.may_reply
    assert list(selectors.reported_threads(user=director, school=world.school)) == [thread]
    with pytest.raises(Http404):
        selectors.reported_threads(user=world.user("deputy"), school=world.school)
    assert Event.objects.get(action="message_report").reason == "Грубость"


def test_search_by_text_and_by_person(world: World) -> None:
    send(world, "teacher_7a_math", ["guardian_7a"], subject="Контрольная", body="Про дроби")
    send(world, "homeroom_7a", ["guardian_7a"], subject="Экскурсия", body="В музей")
    parent = world.user("guardian_7a")

    def found(**kw: str) -> list[str]:
        rows = selectors.folder(user=parent, school=world.school, name="inbox", **kw)
        return [p.thread.subject for p in rows]

    assert found(text="дроби") == ["Контрольная"]
    assert found(text="экскурсия") == ["Экскурсия"]
    assert found(person="Классная") == ["Экскурсия"]
    assert found(person="числов") == ["Контрольная"]
    assert found(text="нет такого") == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"body": ""}, "Заполните"),
        ({"body": "а" * 5001}, "длиннее 5000"),
        ({"subject": "x\x00y"}, "NUL"),
        ({"body": "\ud800"}, "суррогатной"),
        ({"groups": ["parents:99999999"]}, "хотя бы одного"),
        ({"files": [pdf("вирус.exe")]}, "такого типа не принимаются"),
    ],
)
def test_bad_input_is_refused_in_russian_and_writes_nothing(
    world: World, change: dict, message: str
) -> None:
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        send(world, "teacher_7a_math", ["guardian_7a"] if "groups" not in change else [], **change)
    assert message.lower() in " ".join(refused.value.messages).lower()
    assert _counts() == before


def test_a_parent_cannot_write_to_another_parent_or_to_a_group(world: World) -> None:
    other = families(world, 1)[0]
    before = _counts()
    with pytest.raises(ValidationError):
        services.thread_start(
            actor=world.user("guardian_7a"), school=world.school, subject="Привет", body="Текст",
            user_ids=[other.pk],
        )  # fmt: skip
    with pytest.raises(ValidationError):
        send(world, "guardian_7a", [], groups=[f"parents:{world.class_7a.pk}"])
    with pytest.raises(ValidationError):
        send(world, "guardian_7a", ["teacher_7a_math"], announcement=True)
    assert _counts() == before


def test_recipient_and_hourly_limits(world: World, settings: object, school_day: object) -> None:
    settings.OTMETKA_MESSAGE_MAX_RECIPIENTS = 2  # type: ignore[attr-defined]
    settings.OTMETKA_MESSAGES_PER_HOUR = 2  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="Не больше 2"):
        send(world, "teacher_7a_math", ["guardian_7a", "student_7a", "homeroom_7a"])
    send(world, "teacher_7a_math", ["guardian_7a"])
    send(world, "teacher_7a_math", ["guardian_7a"])
    with pytest.raises(ValidationError, match="за последний час"):
        send(world, "teacher_7a_math", ["guardian_7a"])
    school_day.shift(datetime.timedelta(minutes=61))  # type: ignore[attr-defined]
    send(world, "teacher_7a_math", ["guardian_7a"])


def test_a_teacher_of_another_school_cannot_open_or_reply(world: World) -> None:
    thread = send(world, "teacher_7a_math", ["guardian_7a"])
    other = world.user("teacher_other_school")
    for school in (world.school, world.other_school):
        with pytest.raises(Http404):
            selectors.thread_view(user=other, school=school, thread_id=thread.pk)
        with pytest.raises(Http404):
            services.thread_reply(actor=other, school=school, thread_id=thread.pk, body="Я")
