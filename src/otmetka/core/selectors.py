"""What the home page shows, per role of the user in the current school."""

from dataclasses import dataclass, field
from typing import Any

from otmetka.access.rules import derived_roles, school_roles


@dataclass
class HomeSection:
    """One block of the home page: a template fragment and its data."""

    key: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return f"core/home/{self.key}.html"


def home_sections(*, user: Any, school: Any) -> list[HomeSection]:
    """The blocks of the home page for every role the user holds in `school`."""
    roles = school_roles(user, school) | derived_roles(user, school)
    return [HomeSection(key=r) for r in sorted(roles)]
