"""Shared pieces of the benchmarks: the fixed clock, Django setup, the dataset, the measured journal
(course, period, teacher, students, lessons) and the bodies of the save requests."""

import datetime
import json
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The school's clock during a run: a Friday near the end of the 4th quarter, the period open.
NOW = datetime.datetime(2027, 5, 21, 9, 0, tzinfo=datetime.UTC)
CLASS_SIZE = 30
# A password for the login benchmark, set on the measured teacher (the real hasher runs).
PASSWORD = "Lesnaya-tropa-1941"
MARK_KIND = "Самостоятельная работа"

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), inclusive method; the value itself for one sample."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1]


def setup_django(data_dir: str | None = None) -> None:
    """Configure Django from the environment (DATABASE_URL), data dir `data_dir`."""
    if data_dir is not None:
        os.environ["OTMETKA_DATA_DIR"] = data_dir
        Path(data_dir, "static").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otmetka.config.settings")
    import django

    django.setup()


def load(name: str, scale: float, seed: int, today: datetime.date) -> dict[str, Any]:
    """Migrate and load dataset `name` into the (empty) database; how it went, for the report."""
    from django.core.management import call_command

    started = time.perf_counter()
    args = [name, "--scale", str(scale), "--seed", str(seed), "--today", today.isoformat()]
    call_command("dataset", *args, "--no-progress")
    how = f"otmetka dataset {' '.join(args)}"
    return {"how": how, "load_s": time.perf_counter() - started}


def dataset_facts() -> dict[str, int]:
    """Row counts of the loaded data: the demo's own, and the users."""
    from dataclasses import asdict

    from otmetka.accounts.models import User
    from otmetka.demo.selectors import demo_size

    return {**asdict(demo_size()), "users": User.objects.count()}


@dataclass
class Journal:
    """One course's journal in the current period, and who writes in it."""

    course: Any
    period: Any
    teacher: Any
    students: list[int]
    held: list[int]  # lessons of the period before today, newest first
    kind: int
    facts: dict[str, Any] = field(default_factory=dict)

    def cells_body(self, lesson: int, students: list[int], value: str = "4") -> bytes:
        """The JSON of POST /api/v1/lessons/{lesson}/cells: one new mark for each student."""
        changes = [
            {"student": s, "marks": [{"value": value, "kind": self.kind}], "absence": None}
            for s in students
        ]
        return json.dumps({"changes": changes}).encode()

    def period_marks(self) -> int:
        """How many live marks the journal holds in its period."""
        from otmetka.journal.models import Mark

        return Mark.objects.filter(
            lesson__course=self.course,
            lesson__date__range=(self.period.start, self.period.end),
            is_deleted=False,
        ).count()

    def cells_url(self, lesson: int) -> str:
        return f"/api/v1/lessons/{lesson}/cells"

    def grid_json_url(self) -> str:
        return f"/api/v1/journal/{self.course.pk}?period={self.period.pk}"

    def grid_page_url(self) -> str:
        return f"/journal/{self.course.pk}/?period={self.period.pk}"


def _school(pk: int | None = None) -> Any:
    """The school `pk`, else the first one."""
    from otmetka.school.models import School

    schools = School.objects.order_by("pk")
    school = (schools.filter(pk=pk) if pk is not None else schools).first()
    if school is None:
        sys.exit(f"The database holds no school {pk or ''}.")
    return school


def _journal(course: Any, today: datetime.date) -> Journal:
    """The journal of `course` in the period containing `today`."""
    from otmetka.journal.models import Lesson, MarkKind
    from otmetka.school.models import Enrollment, Period

    teacher = course.teachers.order_by("pk").first()
    if teacher.must_change_password:
        teacher.must_change_password = False  # a teacher who has logged in before
        teacher.save(update_fields=["must_change_password"])
    period = Period.objects.get(
        year=course.year,
        scheme=course.school_class.period_scheme,
        start__lte=today,
        end__gte=today,
    )
    students = list(
        Enrollment.objects.filter(school_class=course.school_class_id, start__lte=today)
        .exclude(end__lt=today)
        .order_by("student_id")
        .values_list("student_id", flat=True)
    )
    held = list(
        Lesson.objects.filter(course=course, date__gte=period.start, date__lt=today)
        .exclude(status=Lesson.Status.CANCELLED)
        .order_by("-date", "-bell_number")
        .values_list("pk", flat=True)
    )
    kind = MarkKind.objects.get(school=course.school_id, name=MARK_KIND).pk
    lessons = Lesson.objects.filter(course=course, date__range=(period.start, period.end))
    facts = {
        "journal": f"{course} ({len(students)} students)",
        "students": len(students),
        "period": f"{period} ({period.start:%d.%m}–{period.end:%d.%m.%Y})",
        "period_lessons": lessons.count(),
    }
    return Journal(course, period, teacher, students, held, kind, facts)


def pick(today: datetime.date, school_id: int | None = None) -> tuple[Journal, Journal]:
    """The measured journals of the first school (or `school_id`'s): the read one (the course
    with the most hours a week of a quarter-scheme class of 25–30 students) and the written one
    (the next course of that class), so that the saves do not change what the reads measure."""
    from django.db.models import Max

    from otmetka.curriculum.models import AssessmentMode, Course
    from otmetka.school.models import Enrollment, PeriodScheme

    school = _school(school_id)
    marked = Counter(
        Course.objects.filter(
            school=school,
            assessment=AssessmentMode.POINTS_2_5,
            name="",
            school_class__period_scheme=PeriodScheme.QUARTERS,
        ).values_list("school_class_id", flat=True)
    )
    sizes = Counter(
        Enrollment.objects.filter(
            school=school,
            school_class__in=[c for c, n in marked.items() if n >= 2],
            start__lte=today,
        )
        .exclude(end__lt=today)
        .values_list("school_class_id", flat=True)
    )
    hours = dict(
        Course.objects.filter(school=school, school_class__in=list(sizes), name="")
        .values_list("school_class_id")
        .annotate(most=Max("hours_per_week"))
    )
    # A class of 25–30 students (else the closest to 30) whose busiest course has the most hours:
    # about 40 lessons in a quarter, the journal of DESIGN.md §6.
    class_id = min(
        sizes,
        key=lambda c: (max(0, 25 - sizes[c], sizes[c] - CLASS_SIZE), -hours[c], -sizes[c], c),
    )
    courses = list(
        Course.objects.filter(
            school=school,
            school_class_id=class_id,
            assessment=AssessmentMode.POINTS_2_5,
            name="",
            teachers__isnull=False,
        )
        .select_related("school_class", "year", "school")
        .order_by("-hours_per_week", "subject__position", "pk")
        .distinct()[:2]
    )
    return _journal(courses[0], today), _journal(courses[1], today)


def writable_journals(today: datetime.date, limit: int = 40) -> list[Journal]:
    """Up to `limit` point-marked class courses of the first school with held lessons this
    period, for the concurrent writers."""
    from otmetka.curriculum.models import AssessmentMode, Course
    from otmetka.school.models import PeriodScheme

    school = _school()
    courses = (
        Course.objects.filter(
            school=school,
            assessment=AssessmentMode.POINTS_2_5,
            name="",
            school_class__isnull=False,
            school_class__period_scheme=PeriodScheme.QUARTERS,
            teachers__isnull=False,
        )
        .select_related("school_class", "year", "school")
        .order_by("pk")
        .distinct()[:limit]
    )
    journals = [_journal(c, today) for c in courses]
    return [j for j in journals if j.held and j.students]


def set_known_password(user: Any) -> None:
    """Give `user` the benchmark's password through the real hasher."""
    user.set_password(PASSWORD)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
