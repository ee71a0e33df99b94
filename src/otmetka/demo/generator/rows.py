"""What the builder gathers about one school before writing it in bulk."""

from collections import defaultdict
from dataclasses import dataclass, field

from otmetka.accounts.models import User
from otmetka.curriculum.models import Course, Subject
from otmetka.demo import data
from otmetka.people.models import Student
from otmetka.school.models import AcademicYear, School, SchoolClass


@dataclass
class Family:
    names: data.NameSet
    surname: str
    father: str
    guardians: list[tuple[User, str, str]] = field(default_factory=list)
    grades: set[int] = field(default_factory=set)


@dataclass
class SchoolRows:
    """Rows of one school, gathered in memory and written in bulk."""

    school: School
    year: AcademicYear
    subjects: dict[str, Subject] = field(default_factory=dict)
    classes: list[SchoolClass] = field(default_factory=list)
    staff: list[tuple[User, str, str | None]] = field(default_factory=list)
    courses: list[tuple[Course, User]] = field(default_factory=list)
    pupils: dict[int, list[Student]] = field(default_factory=lambda: defaultdict(list))
    # Cross-class groups with the grades they take (from, to).
    groups: list[tuple[Course, int, int]] = field(default_factory=list)
