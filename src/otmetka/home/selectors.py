"""What the home page shows, per role of the user in the current school.

Every block reads through `otmetka.access.rules` scopes and runs a fixed number of queries, whatever
the size of the classes: lists come from one query each, counts are aggregated in the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from otmetka.access.models import Role
from otmetka.access.rules import derived_roles, school_roles, scoped, viewer_schools
from otmetka.accounts.models import User
from otmetka.core.dates import active_on
from otmetka.curriculum.models import Course, Subject
from otmetka.diary.selectors import school_view_days
from otmetka.journal.models import Lesson
from otmetka.people.models import Guardian, Staff, Student
from otmetka.portal.selectors import pending_count, school_key
from otmetka.portal.selectors import queue as portal_queue
from otmetka.school.models import AcademicYear, Enrollment, School, SchoolClass
from otmetka.setup.selectors import setup_status

# The order of the blocks on the page: the school's management first, the family last.
SECTION_ORDER = (
    Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.SECRETARY, "teacher", "homeroom", Role.NURSE,
    Role.WEB_EDITOR, Role.REGION_VIEWER, "guardian", "student",
)  # fmt: skip


@dataclass
class HomeSection:
    """One block of the home page: a template fragment and its data."""

    key: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return f"home/roles/{self.key}.html"


@dataclass
class _Ctx:
    """What every block of one home page shares: the user, the school, today, this year."""

    user: User
    school: School
    today: datetime.date
    _year: AcademicYear | bool | None = False

    @property
    def year(self) -> AcademicYear | None:
        """The academic year containing today, else the latest one (loaded once)."""
        if self._year is False:
            years = AcademicYear.objects.filter(school=self.school)
            self._year = (
                years.filter(start__lte=self.today, end__gte=self.today).first() or years.first()
            )
        return self._year if isinstance(self._year, AcademicYear) else None


def home_sections(*, user: User, school: School | None) -> list[HomeSection]:
    """The blocks of the home page for every role the user holds in `school`."""
    if school is None:
        return []
    roles = school_roles(user, school) | derived_roles(user, school)
    ctx = _Ctx(user=user, school=school, today=timezone.localdate())
    return [HomeSection(key=str(k), data=BUILDERS[k](ctx)) for k in SECTION_ORDER if k in roles]


# --- shared reads ---------------------------------------------------------------------------


def _visible_students(ctx: _Ctx) -> QuerySet[Any]:
    return scoped(Student.objects.all(), ctx.user, ctx.school, "student").values("pk")


def _current_enrollments(ctx: _Ctx) -> QuerySet[Enrollment]:
    """Today's enrollments of the students the user may see, in classes of this year."""
    return Enrollment.objects.filter(
        active_on(ctx.today),
        school=ctx.school,
        school_class__year=ctx.year,
        student__in=_visible_students(ctx),
    )


def _by_grade(ctx: _Ctx) -> list[dict[str, Any]]:
    """Students and classes per grade today (contingent by parallel)."""
    rows = (
        _current_enrollments(ctx)
        .values("school_class__grade")
        .annotate(
            students=Count("student", distinct=True), classes=Count("school_class", distinct=True)
        )
        .order_by("school_class__grade")
    )
    return [
        {"grade": r["school_class__grade"], "students": r["students"], "classes": r["classes"]}
        for r in rows
    ]


def _classes_with_counts(ctx: _Ctx) -> list[SchoolClass]:
    """This year's classes the user may see, each with `students` enrolled today."""
    return list(
        scoped(SchoolClass.objects.all(), ctx.user, ctx.school, "class")
        .filter(year=ctx.year)
        .select_related("homeroom_teacher")
        .annotate(
            students=Coalesce(
                Subquery(
                    Enrollment.objects.filter(active_on(ctx.today), school_class=OuterRef("pk"))
                    .values("school_class")
                    .annotate(n=Count("student", distinct=True))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            )
        )
        .order_by("grade", "letter")
    )


def _class_and_homeroom(ctx: _Ctx, students: list[Student]) -> dict[int, Enrollment]:
    """Student id → today's enrollment (with class and homeroom teacher), in one query."""
    enrollments = (
        Enrollment.objects.filter(active_on(ctx.today), school=ctx.school, student__in=students)
        .select_related("school_class__homeroom_teacher")
        .order_by("start")
    )
    return {e.student_id: e for e in enrollments}


# --- one builder per block ------------------------------------------------------------------


def _setup_issues(school: School) -> list[dict[str, Any]]:
    """Missing pieces of the school's setup, each with its message, link and count."""
    return [
        {"message": item["message"], "url": item["url"], "count": item["count"]}
        for item in setup_status(school=school)
    ]


def _admin(ctx: _Ctx) -> dict[str, Any]:
    """Setup status: the basic counts, and what is still missing when the school app says so."""
    counts = _basic_counts(ctx)
    return {"year": ctx.year, "counts": counts, "issues": _setup_issues(ctx.school)}


def _count_courses(ctx: _Ctx) -> int:
    qs = scoped(Course.objects.all(), ctx.user, ctx.school, "course")
    return qs.filter(year=ctx.year).count()


def _count_staff(ctx: _Ctx) -> int:
    qs = scoped(Staff.objects.all(), ctx.user, ctx.school, "staff")
    return qs.filter(Q(left_on__isnull=True) | Q(left_on__gte=ctx.today)).count()


def _basic_counts(ctx: _Ctx) -> dict[str, int]:
    """Classes, subjects, courses of this year, current staff and students enrolled today."""
    user, school = ctx.user, ctx.school
    classes = scoped(SchoolClass.objects.all(), user, school, "class").filter(year=ctx.year)
    return {
        "classes": classes.count(),
        "subjects": scoped(Subject.objects.all(), user, school, "subject").count(),
        "courses": _count_courses(ctx),
        "staff": _count_staff(ctx),
        "students": _current_enrollments(ctx).values("student").distinct().count(),
    }


def _guardian_views(ctx: _Ctx) -> dict[str, int]:
    """Guardians' diary views in the school: today and over the last seven days (one query)."""
    days = school_view_days(school_id=ctx.school.pk, today=ctx.today, days=7)
    return {"today": days[0]["views"], "week": sum(d["views"] for d in days)}


def _deputy(ctx: _Ctx) -> dict[str, Any]:
    """Classes with student counts and homeroom teachers; courses and staff totals; guardians'
    diary views."""
    return {
        "year": ctx.year,
        "classes": _classes_with_counts(ctx),
        "courses": _count_courses(ctx),
        "staff": _count_staff(ctx),
        "views": _guardian_views(ctx),
    }


def _director(ctx: _Ctx) -> dict[str, Any]:
    """School totals: students, classes, staff, guardians with logins (and who has logged in)."""
    counts = _basic_counts(ctx)
    guardians = scoped(Guardian.objects.all(), ctx.user, ctx.school, "guardian").aggregate(
        accounts=Count("user", distinct=True),
        logged_in=Count("user", distinct=True, filter=Q(user__last_login__isnull=False)),
    )
    return {
        "year": ctx.year,
        "counts": counts,
        "guardians": guardians,
        "views": _guardian_views(ctx),
        "website_pending": pending_count(ctx.school),
    }


def _secretary(ctx: _Ctx) -> dict[str, Any]:
    """Contingent today by grade."""
    grades = _by_grade(ctx)
    return {"grades": grades, "total": sum(g["students"] for g in grades)}


def _nurse(ctx: _Ctx) -> dict[str, Any]:
    """Students by grade (counts only: health data lives on its own pages)."""
    return _secretary(ctx)


def _teacher(ctx: _Ctx) -> dict[str, Any]:
    """The user's own courses of this year, grouped by class."""
    courses = (
        scoped(Course.objects.all(), ctx.user, ctx.school, "course")
        .filter(year=ctx.year, pk__in=Course.objects.filter(teachers=ctx.user).values("pk"))
        .select_related("school_class", "subject")
        .order_by("school_class__grade", "school_class__letter", "subject__position", "name")
    )
    groups: dict[Any, dict[str, Any]] = {}
    for course in courses:
        group = groups.setdefault(
            course.school_class_id,
            {"school_class": course.school_class, "courses": [], "hours": Decimal(0)},
        )
        group["courses"].append(course)
        group["hours"] += course.hours_per_week
    total = sum((g["hours"] for g in groups.values()), Decimal(0))
    return {"groups": list(groups.values()), "hours": total, **teacher_day(ctx),
            "deadlines": _deadlines(ctx)}  # fmt: skip


HOME_DEADLINES = 8  # the nearest deadlines on the home page; the rest on /compliance/gaps/


def _deadlines(ctx: _Ctx) -> dict[str, Any]:
    """The teacher's open entries with their deadlines (the order's rules, issue 14)."""
    from otmetka.compliance.selectors import teacher_gaps

    gaps = teacher_gaps(user=ctx.user, school=ctx.school)
    return {"gaps": gaps[:HOME_DEADLINES], "more": max(0, len(gaps) - HOME_DEADLINES)}


RECENT_SCHOOL_DAYS = 7


def _lesson_gaps(lesson: Lesson) -> list[str]:
    """What the lesson still lacks: "topic", "attendance", "homework"."""
    gaps = []
    if not lesson.topic:
        gaps.append("topic")
    if lesson.attendance_taken_at is None:
        gaps.append("attendance")
    if not lesson.homework:
        gaps.append("homework")
    return gaps


def teacher_day(ctx: _Ctx) -> dict[str, Any]:
    """Today's lessons of the teacher (own courses and substitutions) in bell order, each with
    what is missing, and the lessons with gaps of the last school days (two queries)."""
    school_days = (
        Lesson.objects.filter(school=ctx.school, date__lt=ctx.today)
        .exclude(status=Lesson.Status.CANCELLED)
        .values_list("date", flat=True)
        .distinct()
        .order_by("-date")[:RECENT_SCHOOL_DAYS]
    )
    days = list(school_days)
    since = min(days) if days else ctx.today
    mine = Q(course__in=Course.objects.filter(teachers=ctx.user).values("pk")) | Q(
        substitution__substitute=ctx.user
    )
    lessons = (
        Lesson.objects.filter(mine, school=ctx.school, date__gte=since, date__lte=ctx.today)
        .exclude(status=Lesson.Status.CANCELLED)
        .select_related("course__subject", "course__school_class", "substitution__substitute")
        .order_by("-date", "bell_number", "starts_at", "pk")
    )
    today: list[dict[str, Any]] = []
    recent: list[dict[str, Any]] = []
    for lesson in lessons:
        substitution = getattr(lesson, "substitution", None)
        row = {
            "lesson": lesson,
            "missing": _lesson_gaps(lesson),
            "substitute": substitution.substitute if substitution else None,
            "url": reverse("journal:grid", kwargs={"course_id": lesson.course_id}),
        }
        if lesson.date == ctx.today:
            today.append(row)
        elif row["missing"]:
            recent.append(row)
    return {"today": today, "recent_gaps": recent}


def _homeroom(ctx: _Ctx) -> dict[str, Any]:
    """The user's classes of this year with today's class list and guardians per student."""
    classes = list(
        scoped(SchoolClass.objects.all(), ctx.user, ctx.school, "class").filter(
            year=ctx.year, homeroom_teacher=ctx.user
        )
    )
    guardians = Coalesce(
        Subquery(
            Guardian.objects.filter(student=OuterRef("student"))
            .values("student")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    enrollments = (
        _current_enrollments(ctx)
        .filter(school_class__in=classes)
        .select_related("student")
        .annotate(guardians=guardians)
        .order_by("student__last_name", "student__first_name", "student__middle_name", "pk")
    )
    lists: dict[int, list[Enrollment]] = {c.pk: [] for c in classes}
    for e in enrollments:
        lists[e.school_class_id].append(e)
    return {"classes": [{"school_class": c, "enrollments": lists[c.pk]} for c in classes]}


def _guardian(ctx: _Ctx) -> dict[str, Any]:
    """The user's children in this school with today's class and homeroom teacher."""
    children = list(
        scoped(Student.objects.all(), ctx.user, ctx.school, "student").filter(
            guardians__user=ctx.user
        )
    )
    enrollments = _class_and_homeroom(ctx, children)
    return {"children": [{"student": s, "enrollment": enrollments.get(s.pk)} for s in children]}


def _student(ctx: _Ctx) -> dict[str, Any]:
    """The user's own class, homeroom teacher and the subjects of that class this year."""
    me = scoped(Student.objects.all(), ctx.user, ctx.school, "student").filter(user=ctx.user)
    student = me.first()
    enrollment = _class_and_homeroom(ctx, [student]).get(student.pk) if student else None
    courses: list[Course] = []
    if enrollment is not None:
        courses = list(
            scoped(Course.objects.all(), ctx.user, ctx.school, "course")
            .filter(year=ctx.year, school_class_id=enrollment.school_class_id)
            .select_related("subject")
            .prefetch_related("teachers")
            .order_by("subject__position", "subject__name", "name")
        )
    return {"student": student, "enrollment": enrollment, "courses": courses}


def _web_editor(ctx: _Ctx) -> dict[str, Any]:
    """The website's queue: how many items are in each state."""
    found = portal_queue(user=ctx.user, school=ctx.school)
    return {"counts": found.counts, "key": school_key(ctx.school)}


def _region_viewer(ctx: _Ctx) -> dict[str, Any]:
    """The viewer's schools with class and student counts of the current year (no names)."""
    today = ctx.today
    current_year = Q(year__start__lte=today, year__end__gte=today)
    classes = (
        SchoolClass.objects.filter(current_year, school=OuterRef("pk"))
        .values("school")
        .annotate(n=Count("pk"))
        .values("n")
    )
    students = (
        Enrollment.objects.filter(
            active_on(today),
            school=OuterRef("pk"),
            school_class__year__start__lte=today,
            school_class__year__end__gte=today,
        )
        .values("school")
        .annotate(n=Count("student", distinct=True))
        .values("n")
    )
    schools = (
        viewer_schools(ctx.user)
        .annotate(
            classes=Coalesce(Subquery(classes, output_field=IntegerField()), 0),
            students=Coalesce(Subquery(students, output_field=IntegerField()), 0),
        )
        .order_by("district__name", "short_name")
    )
    return {"schools": list(schools)}


BUILDERS: dict[str, Callable[[_Ctx], dict[str, Any]]] = {
    Role.ADMIN: _admin,
    Role.DEPUTY: _deputy,
    Role.DIRECTOR: _director,
    Role.SECRETARY: _secretary,
    Role.NURSE: _nurse,
    Role.WEB_EDITOR: _web_editor,
    Role.REGION_VIEWER: _region_viewer,
    "teacher": _teacher,
    "homeroom": _homeroom,
    "guardian": _guardian,
    "student": _student,
}
