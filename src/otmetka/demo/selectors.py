"""Reads of the demo: which users are the printed demo accounts, and how big the data is."""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, When
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from otmetka.access.models import Role, RoleMembership
from otmetka.accounts.models import User
from otmetka.audit.models import Event
from otmetka.curriculum.models import Course, CourseKind
from otmetka.journal.models import Absence, Lesson, Mark
from otmetka.people.models import Guardian, Staff, Student
from otmetka.school.models import AcademicYear, School, SchoolClass

# One demo account per role, in the order the table prints them.
DEMO_ROLES = (
    ("admin", pgettext_lazy("demo role", "Administrator")),
    ("secretary", pgettext_lazy("demo role", "Secretary")),
    ("deputy", pgettext_lazy("demo role", "Deputy director")),
    ("director", pgettext_lazy("demo role", "Director")),
    ("teacher", pgettext_lazy("demo role", "Subject teacher")),
    ("homeroom", pgettext_lazy("demo role", "Homeroom teacher")),
    ("additional", pgettext_lazy("demo role", "Additional education teacher")),
    ("extracurricular", pgettext_lazy("demo role", "Extracurricular activity teacher")),
    ("web_editor", pgettext_lazy("demo role", "Website administrator")),
    ("nurse", pgettext_lazy("demo role", "Nurse")),
    ("guardian", pgettext_lazy("demo role", "Parent")),
    ("student", pgettext_lazy("demo role", "Student")),
    ("region_viewer", pgettext_lazy("demo role", "Education authority")),
    ("region_operator", pgettext_lazy("demo role", "Regional calendar operator")),
)
GENERATED = "demo_generate"  # the audit action that marks a generated school
GRANTED = (Role.ADMIN, Role.SECRETARY, Role.DEPUTY, Role.DIRECTOR, Role.WEB_EDITOR, Role.NURSE)


@dataclass(frozen=True)
class DemoSize:
    """Row counts shown after `otmetka demo`."""

    schools: int
    classes: int  # of the current academic year
    students: int
    staff: int
    guardians: int
    lessons: int
    marks: int
    absences: int


def _current_classes() -> int:
    """Classes of the academic year under way (the latest one between years), as the home pages
    count them: the demo's archived previous year has classes too."""
    today = timezone.localdate()
    years = AcademicYear.objects.filter(start__lte=today, end__gte=today)
    if not years.exists():
        latest = AcademicYear.objects.order_by("-start").values("start")[:1]
        years = AcademicYear.objects.filter(start__in=latest)
    return SchoolClass.objects.filter(year__in=years).count()


def demo_size() -> DemoSize:
    """How much data the database holds (classes: of the current academic year)."""
    return DemoSize(
        schools=School.objects.count(),
        classes=_current_classes(),
        students=Student.objects.count(),
        staff=Staff.objects.count(),
        guardians=Guardian.objects.values("user_id").distinct().count(),
        lessons=Lesson.objects.count(),
        marks=Mark.objects.count(),
        absences=Absence.objects.count(),
    )


def has_schools() -> bool:
    """Whether the database holds any school at all."""
    return School.objects.exists()


def demo_school() -> School | None:
    """The first school the generator made (its audit event says so), or None."""
    events = Event.objects.filter(action=GENERATED, object_type="school.school")
    ids = [int(pk) for pk in events.values_list("object_id", flat=True)]
    schools = School.objects.filter(pk__in=ids).select_related("district__region")
    return schools.order_by("pk").first()


def demo_users(*, school: School) -> dict[str, User]:
    """The user that stands for each demo role in `school`, chosen the same way on every run."""
    users: dict[str, User] = {}
    for role in GRANTED:
        m = RoleMembership.objects.filter(role=role, school=school).order_by("pk").first()
        if m:
            users[str(role)] = m.user
    viewer = (
        RoleMembership.objects.filter(role=Role.REGION_VIEWER)
        .filter(Q(region_id=school.district.region_id) | Q(district_id=school.district_id))
        .order_by("pk")
        .first()
    )
    if viewer:
        users["region_viewer"] = viewer.user
    operator = (
        RoleMembership.objects.filter(
            role=Role.REGION_OPERATOR, region_id=school.district.region_id
        )
        .order_by("pk")
        .first()
    )
    if operator:
        users["region_operator"] = operator.user
    users.update(_teachers(school))
    users.update(_family(school, users.get("homeroom")))
    return users


def _teachers(school: School) -> dict[str, User]:
    """A homeroom teacher (of a 7th grade if there is one), a subject teacher of that class, and
    teachers of cross-class groups."""
    found: dict[str, User] = {}
    cls = (
        SchoolClass.objects.filter(school=school, homeroom_teacher__isnull=False)
        .annotate(not7=Case(When(grade=7, then=0), default=1, output_field=IntegerField()))
        .order_by("not7", "grade", "letter")
        .select_related("homeroom_teacher")
        .first()
    )
    if cls is None or cls.homeroom_teacher is None:  # the filter leaves no class without one
        return found
    found["homeroom"] = cls.homeroom_teacher
    homerooms = SchoolClass.objects.filter(school=school).values("homeroom_teacher_id")
    subject = (
        User.objects.filter(courses__school_class=cls, courses__kind=CourseKind.LESSON)
        .exclude(pk__in=homerooms)
        .order_by("courses__subject__position", "pk")
        .first()
    )
    if subject:
        found["teacher"] = subject
    for kind in (CourseKind.ADDITIONAL, CourseKind.EXTRACURRICULAR):
        groups = Course.objects.filter(school=school, kind=kind, school_class__isnull=True)
        user = User.objects.filter(courses__in=groups).order_by("pk").first()
        if user:
            found[str(kind)] = user
    return found


def _family(school: School, homeroom: User | None) -> dict[str, User]:
    """A student of the homeroom teacher's class (one with a brother or sister at school, if
    any) and the guardian who has the most children at school."""
    students = list(
        Student.objects.filter(
            school=school, user__isnull=False, enrollments__school_class__homeroom_teacher=homeroom
        ).order_by("last_name", "first_name", "pk")
    )
    links = list(
        Guardian.objects.filter(student__in=students)
        .annotate(children=Count("user__guardianships"))
        .order_by("-children", "relation", "pk")
        .select_related("user", "student__user")
    )
    # The students were chosen with an account, so none of these is None.
    if not links:
        found = {"student": students[0].user} if students else {}
    else:
        found = {"student": links[0].student.user, "guardian": links[0].user}
    return {role: user for role, user in found.items() if user is not None}
