"""The audit log's hash chain (R4): each school's events chained by hash; `otmetka audit verify`
passes on an untouched log and names the first event a direct SQL change broke; the database
refuses an UPDATE of an event; a batch costs one query more than its INSERT."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from otmetka.audit.chain import verify
from otmetka.audit.models import ChainHead, Event
from otmetka.audit.services import event_build, event_record, events_save
from tests.audit.helpers import append_only_lift
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def _write(school: object, n: int) -> list[Event]:
    actor = UserFactory()
    return [
        event_record(
            actor=actor,
            action="test_write",
            obj=school,
            school_id=school.pk,
            after={"n": i, 7: "семь"},
        )
        for i in range(n)
    ]


def test_each_event_carries_the_hash_of_the_schools_previous_one() -> None:
    school, other = SchoolFactory(), SchoolFactory()
    first, second = _write(school, 2)
    (elsewhere,) = _write(other, 1)
    assert second.prev_hash == first.hash != ""
    assert elsewhere.prev_hash not in (first.hash, second.hash)  # a chain per school
    assert ChainHead.objects.get(school_key=school.pk).hash == second.hash
    assert verify()[1] == []


def test_verify_names_the_event_a_direct_sql_update_changed(capsys: object) -> None:
    school = SchoolFactory()
    events = _write(school, 4)
    call_command("audit", "verify")
    append_only_lift()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET reason = 'подчищено' WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError, match="нарушен"):
        call_command("audit", "verify")
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert f"№{events[2].pk}:" in err and f"№{events[1].pk}:" not in err


def test_a_removed_event_breaks_the_link_of_the_next() -> None:
    school = SchoolFactory()
    events = _write(school, 3)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE id = %s", [events[1].pk])
    assert [(b.event_id, b.problem) for b in verify()[1]] == [(events[2].pk, "link")]


def test_removing_the_last_event_is_seen_by_the_head() -> None:
    school = SchoolFactory()
    events = _write(school, 2)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE id = %s", [events[1].pk])
    assert [b.event_id for b in verify()[1]] == [events[1].pk]


def test_the_database_refuses_to_update_an_event() -> None:
    (event,) = _write(SchoolFactory(), 1)
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(ValueError):
        event.save()


def test_a_batch_is_chained_with_one_query_more_than_its_insert(
    django_assert_num_queries: object,
) -> None:
    school, actor = SchoolFactory(), UserFactory()
    (first,) = _write(school, 1)
    batch = [
        event_build(actor=actor, action="batch", obj=school, school_id=school.pk, after={"i": i})
        for i in range(30)
    ]
    with django_assert_num_queries(2):  # type: ignore[operator]  # in the test transaction
        events_save(batch)
    saved = list(Event.objects.filter(school=school).order_by("id"))
    assert saved[1].prev_hash == first.hash and len(saved) == 31
    assert verify([school.pk]) == (31, [])
