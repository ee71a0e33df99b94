"""The demo school generator: realistic, fictional schools of Crimea from a seed and a size.

A package: `builder.py` writes a school (year, subjects, staff, classes, courses, students and
families; names from `names.py`, the year from `calendar.py`), `timetable.py` its bells and
timetable, `journal.py` its lessons, КТП and journal data. Benchmarks grow it to many schools with
`generate(schools=530)`. The same seed gives the same data on an empty database.
"""

import datetime
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from otmetka.accounts.models import User
from otmetka.audit.services import event_record
from otmetka.demo import data
from otmetka.demo.bulk import BulkWriter
from otmetka.demo.diary import diary_demo_add
from otmetka.demo.generator.builder import LETTERS, SIBLING_SHARE, Builder
from otmetka.demo.generator.calendar import year_plan
from otmetka.demo.generator.names import patronymic_for, surname_for, translit
from otmetka.demo.messaging import messages_generate
from otmetka.demo.monitoring import monitoring_demo_add
from otmetka.demo.portal import portal_demo_add
from otmetka.demo.privacy import privacy_demo_add
from otmetka.demo.selectors import DEMO_ROLES, GENERATED, demo_users
from otmetka.school.models import Region, School
from otmetka.school.services import regional_data_name, regional_days_load

__all__ = [
    "DEMO_PASSWORDS",
    "LETTERS",
    "SIBLING_SHARE",
    "SIZES",
    "DemoAccount",
    "DemoResult",
    "SchoolShape",
    "demo_accounts_ensure",
    "generate",
    "patronymic_for",
    "schools_generate",
    "surname_for",
    "translit",
    "year_plan",
]

# The printed demo accounts: known passwords, no forced change.
DEMO_PASSWORDS = {key: f"demo-{key.replace('_', '-')}" for key, _label in DEMO_ROLES}
SIZES: dict[str, dict[str, Any]] = {
    "tiny": {"classes_per_grade": (1, 1), "students_per_class": 5},
    "small": {"classes_per_grade": (1, 2), "students_per_class": 15},
    "full": {},
}


@dataclass
class DemoAccount:
    """One printed line: the role, its user and the password that works."""

    key: str
    label: str
    user: User
    password: str


@dataclass
class DemoResult:
    """What `generate` made: the schools, the demo accounts, the shared passwords per role."""

    schools: list[School]
    accounts: list[DemoAccount]
    role_passwords: dict[str, str]
    seconds: float
    written: dict[str, int] = field(default_factory=dict)  # bulk-written rows by model


def generate(
    *,
    seed: int = 2026,
    schools: int = 1,
    classes_per_grade: tuple[int, int] = (2, 3),
    students_per_class: int = 25,
    today: datetime.date | None = None,
) -> DemoResult:
    """Create `schools` fictional schools of Crimea with staff, classes, students and courses."""
    with transaction.atomic():
        result = schools_generate(
            [(classes_per_grade, students_per_class)] * schools, seed=seed, today=today
        )
        diary_demo_add(school=result.schools[0], today=today or timezone.localdate())
        monitoring_demo_add(school=result.schools[0], today=today or timezone.localdate())
        privacy_demo_add(school=result.schools[0], today=today or timezone.localdate())
        return result


SchoolShape = tuple[tuple[int, int], int]  # (classes per grade: from, to), students per class


def schools_generate(
    shapes: Sequence[SchoolShape],
    *,
    seed: int,
    today: datetime.date | None = None,
    each: Callable[[School, BulkWriter], None] = lambda _school, _writer: None,
    school_atomic: Callable[[], AbstractContextManager[Any]] = nullcontext,
    rollups: bool = True,
) -> DemoResult:
    """One school per shape, then the region's viewer and the demo accounts of the first school.
    `school_atomic` wraps each school (a transaction of its own in a long load); `each` is called
    after each one (a progress line); `rollups=False` leaves the compliance rollups to the
    caller."""
    started = time.perf_counter()
    builder = Builder(seed=seed, today=today or timezone.localdate(), rollups=rollups)
    region, _ = Region.objects.get_or_create(name=data.REGION[0], defaults={"code": data.REGION[1]})
    # The republic's own days off (18 March, the decrees' days) before any lesson is generated.
    if (shipped := regional_data_name(region)) is not None:
        regional_days_load(actor=None, region=region, name=shipped)
    made = []
    for n, (per_grade, per_class) in enumerate(shapes):
        with school_atomic():
            school = builder.school(region, n, per_grade, per_class)
            event_record(actor=None, action=GENERATED, obj=school, after={"seed": seed})
        made.append(school)
        each(school, builder.writer)
    with school_atomic():
        builder.region_viewer(region)
        builder.region_operator(region)
        accounts = demo_accounts_ensure(school=made[0])
        messages_generate(school=made[0], users={a.key: a.user for a in accounts}, seed=seed)
        portal_demo_add(school=made[0], users={a.key: a.user for a in accounts})
    return DemoResult(
        made, accounts, builder.passwords, time.perf_counter() - started, builder.writer.written
    )


def demo_accounts_ensure(*, school: School) -> list[DemoAccount]:
    """The demo account of each role in `school`; give it its known password if it lost it."""
    users = demo_users(school=school)
    accounts = []
    with transaction.atomic():
        for key, label in DEMO_ROLES:
            user = users.get(key)
            if user is None:
                continue
            password = DEMO_PASSWORDS[key]
            if user.must_change_password or not user.check_password(password):
                user.set_password(password)
                user.must_change_password = False
                user.save(update_fields=["password", "must_change_password"])
                event_record(actor=None, action="demo_password_set", obj=user)
            accounts.append(DemoAccount(key, str(label), user, password))
    return accounts
