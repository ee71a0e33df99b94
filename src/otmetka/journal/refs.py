"""A school's kinds of work and absence codes from the per-school cache
(`otmetka.school.refcache`): read once per reference version, not once per request."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from otmetka.journal.models import AbsenceCode, MarkKind
from otmetka.school.refcache import cached


@dataclass(frozen=True)
class Kind:
    """A kind of work as the grid and the saves use it."""

    id: int
    name: str
    short: str
    weight: Decimal
    position: int
    is_active: bool

    @property
    def pk(self) -> int:
        """As a MarkKind names its id (the grid page's template)."""
        return self.id


@dataclass(frozen=True)
class Code:
    """An absence code as the grid and the saves use it."""

    id: int
    code: str
    name: str
    reason: str
    position: int


def school_kinds(school_id: int, version: int) -> tuple[Kind, ...]:
    """Every kind of work of the school (in use or not), in list order (position, name)."""

    def load() -> tuple[Kind, ...]:
        rows = MarkKind.objects.filter(school_id=school_id).order_by("position", "name", "pk")
        fields = ("pk", "name", "short", "weight", "position", "is_active")
        return tuple(Kind(*row) for row in rows.values_list(*fields))

    return cached(school_id, version, "kinds", load, immutable=True)


def school_codes(school_id: int, version: int) -> tuple[Code, ...]:
    """Every absence code of the school, in list order (position, id)."""

    def load() -> tuple[Code, ...]:
        rows = AbsenceCode.objects.filter(school_id=school_id).order_by("position", "pk")
        return tuple(Code(*r) for r in rows.values_list("pk", "code", "name", "reason", "position"))

    return cached(school_id, version, "codes", load, immutable=True)
