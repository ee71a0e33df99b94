"""The chain under concurrent writers: saves that hold the head through their own read
(`audit.chain.head_sql`, as the journal's cells save does) and saves that lock it by the upsert
(`chain_fill`) append to one school's chain at once, and the chain stays whole (PostgreSQL: the
head is locked by `FOR UPDATE`; SQLite's writers take turns)."""

import threading

import pytest
from django.db import connection, connections, transaction

from otmetka.audit.chain import head_sql, verify
from otmetka.audit.models import Event
from otmetka.audit.services import event_build, event_record, events_save
from tests.factories import SchoolFactory, UserFactory

WRITERS, ROUNDS = 6, 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_writers_holding_the_head_by_their_read_keep_the_chain_whole() -> None:
    school, actor = SchoolFactory(), UserFactory()
    event_record(actor=actor, action="start", obj=school, school_id=school.pk)  # the head exists
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(ROUNDS):
                batch = [
                    event_build(actor=actor, action="w", obj=school, school_id=school.pk,
                                after={"writer": n, "i": i, "j": j})
                    for j in range(3)
                ]  # fmt: skip
                with transaction.atomic():
                    if n % 2:  # as the cells save: the head held by the read, then the INSERT
                        with connection.cursor() as cursor:
                            cursor.execute(head_sql(connection.vendor), [school.pk])
                            (head,) = cursor.fetchone()
                        events_save(batch, {school.pk: head})
                    else:  # as every other write: the upsert
                        events_save(batch)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert Event.objects.filter(school=school).count() == 1 + WRITERS * ROUNDS * 3
    assert verify([school.pk]) == (1 + WRITERS * ROUNDS * 3, [])
