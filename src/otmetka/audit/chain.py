"""The audit log's hash chain (R4): each event carries the hash of its school's previous event
and its own hash over its fields and that one, so a changed, removed or inserted row breaks the
chain at that place and `otmetka audit verify` names it.

Appending is serialised per school: `chain_fill` locks the school's `ChainHead` row with one
upsert that returns the newest hash (PostgreSQL waits there for a concurrent writer of the same
school and then reads what it committed; SQLite writers are serialised by their immediate
transactions anyway). A database trigger moves the head to each inserted event, so an append
costs one query more than the INSERT, for one event or a batch — or none, when the caller's own
read already took the head (`head_sql`: the journal's cells save reads it with the lesson).
"""

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from otmetka.audit.models import ChainHead, Event

_FIELDS = (
    "school_id",
    "actor_id",
    "at",
    "ip",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "reason",
    "group_key",
)


def _at(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


_SCALARS = (str, int, float, bool, type(None))


def _as_stored(value: Any) -> bool:
    """True for None or a flat dict of string keys and JSON scalars (a `snapshot`): JSON gives it
    back equal, so the round trip that makes other values as stored is skipped (per event of a
    column save, a tenth of its audit's cost)."""
    if value is None:
        return True
    if type(value) is not dict:
        return False
    return all(type(k) is str and type(v) in _SCALARS for k, v in value.items())


def event_hash(event: Event, prev_hash: str) -> str:
    """The hash of an event after `prev_hash`: SHA-256 of canonical JSON of its fields."""
    data: dict[str, Any] = {f: getattr(event, f) for f in _FIELDS}
    for f in ("before", "after"):  # as stored: JSON's keys are strings
        if not _as_stored(data[f]):
            data[f] = json.loads(json.dumps(data[f]))
    data["at"] = _at(event.at)
    data["prev"] = prev_hash
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _key(event: Event) -> int:
    return event.school_id or 0


def _head_lock(key: int) -> str:
    """Lock the chain head of `key` (creating it) and return its hash: one statement."""
    table = connection.ops.quote_name(ChainHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (school_key, hash, last_id) VALUES (%s, '', 0)"
            " ON CONFLICT (school_key) DO UPDATE SET school_key = EXCLUDED.school_key"
            " RETURNING hash",
            [key],
        )
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def head_sql(vendor: str) -> str:
    """A SELECT of the head's hash of the school key given as its one parameter, holding the
    head as `chain_fill` does: PostgreSQL locks the row (`FOR UPDATE`, allowed in a CTE of a
    bigger read; a concurrent writer's hash is read once it commits); SQLite reads it plainly
    (its writers are serialised by `BEGIN IMMEDIATE`, taken before any read). No row: the school
    has no chain yet (`chain_fill` creates it)."""
    table = connection.ops.quote_name(ChainHead._meta.db_table)
    lock = " FOR UPDATE" if vendor == "postgresql" else ""
    return f"SELECT hd.hash FROM {table} hd WHERE hd.school_key = %s{lock}"


def chain_fill(events: list[Event], heads: dict[int, str] | None = None) -> None:
    """Fill `at`, `prev_hash` and `hash` of events about to be inserted, in their order (call
    inside the transaction that inserts them, just before the INSERT: the school's chain stays
    locked until it commits). One query per school of the batch (one for a mark save), none for
    a school in `heads`: its hash as the caller read it by `head_sql` in this transaction."""
    now = timezone.now()
    by_key: dict[int, list[Event]] = {}
    for event in events:
        if event.at is None:
            event.at = now
        by_key.setdefault(_key(event), []).append(event)
    for key in sorted(by_key):  # one lock order: no deadlock between two multi-school batches
        prev = heads[key] if heads and key in heads else _head_lock(key)
        for event in by_key[key]:
            event.prev_hash = prev
            event.hash = prev = event_hash(event, prev)


@dataclass(frozen=True)
class Broken:
    """The first broken link of a school's chain."""

    school_id: int | None
    event_id: int
    problem: str  # "hash": the row changed; "link": a row before it was removed or changed


def _events(key: int) -> Iterator[Event]:
    where = {"school_id": key} if key else {"school__isnull": True}
    qs = Event.objects.filter(**where).exclude(hash="").order_by("id")
    return qs.iterator(chunk_size=2000)


def verify(school_ids: Iterable[int] | None = None) -> tuple[int, list[Broken]]:
    """Walk each school's chain in id order: (events checked, the first broken link of each
    broken chain). A chain's last hash must also equal its head's."""
    heads = {h.school_key: h for h in ChainHead.objects.all()}
    keys = sorted(heads) if school_ids is None else sorted(school_ids)
    checked, broken = 0, []
    for key in keys:
        prev = ""
        last: Event | None = None
        for event in _events(key):
            checked += 1
            last = event
            if event.prev_hash != prev:
                broken.append(Broken(key or None, event.pk, "link"))
                break
            if event_hash(event, prev) != event.hash:
                broken.append(Broken(key or None, event.pk, "hash"))
                break
            prev = event.hash
        else:
            head = heads.get(key)
            if head is not None and last is not None and head.hash != prev:
                broken.append(Broken(key or None, head.last_id, "link"))
            elif head is not None and last is None and head.hash:
                broken.append(Broken(key or None, head.last_id, "link"))
    return checked, broken
