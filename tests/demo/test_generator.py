"""The demo generator makes consistent, realistic, deterministic data."""

import datetime
import re
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count

from otmetka.access.models import Role, RoleMembership
from otmetka.accounts.models import User
from otmetka.curriculum.models import AssessmentMode, Course, CourseKind
from otmetka.demo.data import SLAVIC, TATAR
from otmetka.demo.generator import (
    DEMO_PASSWORDS,
    DemoResult,
    generate,
    patronymic_for,
    surname_for,
    translit,
)
from otmetka.people.models import Gender, Guardian, Student
from otmetka.school.calendar import year_structure_problems
from otmetka.school.models import AcademicYear, PeriodScheme, SchoolClass

TODAY = datetime.date(2026, 11, 18)
TINY: dict[str, Any] = {"classes_per_grade": (1, 1), "students_per_class": 5, "today": TODAY}


@pytest.fixture
def demo(db: None) -> DemoResult:
    return generate(seed=7, **TINY)


def masculine(surname: str) -> str:
    """Иванова → Иванов, Островская → Островский, Толстая → Толстой, Шевченко → Шевченко."""
    if surname.endswith(("ская", "цкая")):
        return surname[:-2] + "ий"
    if surname.endswith("ая"):
        return surname[:-2] + "ой"
    if surname.endswith(("ова", "ева", "ёва", "ина", "ына")):
        return surname[:-1]
    return surname


@pytest.mark.parametrize(
    ("father", "son", "daughter"),
    [
        ("Иван", "Иванович", "Ивановна"),
        ("Сергей", "Сергеевич", "Сергеевна"),
        ("Николай", "Николаевич", "Николаевна"),
        ("Юрий", "Юрьевич", "Юрьевна"),
        ("Дмитрий", "Дмитриевич", "Дмитриевна"),
        ("Игорь", "Игоревич", "Игоревна"),
        ("Илья", "Ильич", "Ильинична"),
        ("Пётр", "Петрович", "Петровна"),
        ("Рустем", "Рустемович", "Рустемовна"),
    ],
)
def test_patronymics_follow_the_father_and_the_gender(father: str, son: str, daughter: str) -> None:
    assert patronymic_for(father, Gender.MALE) == son
    assert patronymic_for(father, Gender.FEMALE) == daughter


@pytest.mark.parametrize(
    ("surname", "female"),
    [
        ("Иванов", "Иванова"),
        ("Ильин", "Ильина"),
        ("Островский", "Островская"),
        ("Толстой", "Толстая"),
        ("Шевченко", "Шевченко"),
        ("Ковальчук", "Ковальчук"),
    ],
)
def test_surnames_take_the_female_form(surname: str, female: str) -> None:
    assert surname_for(surname, Gender.FEMALE) == female
    assert surname_for(surname, Gender.MALE) == surname


def test_logins_transliterate_russian_letters() -> None:
    assert translit("Щербакова") == "shcherbakova"
    assert translit("Соловьёв") == "solovev"
    assert translit("Юлия") == "yuliya"


def test_every_class_has_a_homeroom_teacher_and_courses(demo: DemoResult) -> None:
    classes = list(SchoolClass.objects.annotate(n=Count("courses")).order_by("grade"))
    assert [c.grade for c in classes] == list(range(1, 12))
    assert all(c.homeroom_teacher_id for c in classes)
    assert all(c.n >= 9 for c in classes)
    talks = Course.objects.filter(subject__name="Разговоры о важном")
    assert {(c.school_class_id, c.teachers.get().pk) for c in talks} == {
        (c.pk, c.homeroom_teacher_id) for c in classes
    }


def test_primary_classes_are_taught_by_their_homeroom_teacher_except_english(
    demo: DemoResult,
) -> None:
    lessons = Course.objects.filter(school_class__grade__lte=4, kind=CourseKind.LESSON)
    for course in lessons.select_related("school_class", "subject"):
        teacher = course.teachers.get()
        by_homeroom = teacher.pk == course.school_class.homeroom_teacher_id
        assert by_homeroom != course.subject.name.startswith("Иностранный язык"), course


def test_grade_1_has_no_marks_and_other_grades_have_points(demo: DemoResult) -> None:
    lessons = Course.objects.filter(kind=CourseKind.LESSON)
    assert set(lessons.filter(school_class__grade=1).values_list("assessment", flat=True)) == {
        AssessmentMode.NONE
    }
    maths = lessons.get(school_class__grade=7, subject__name="Алгебра")
    assert maths.assessment == AssessmentMode.POINTS_2_5
    assert maths.hours_per_week == 3


def test_every_student_has_an_enrollment_a_login_and_a_guardian_of_the_family(
    demo: DemoResult,
) -> None:
    students = Student.objects.annotate(e=Count("enrollments", distinct=True))
    assert students.count() == 55
    for student in students.prefetch_related("guardians__user"):
        assert student.e == 1 and student.user_id
        links = list(student.guardians.all())
        assert 1 <= len(links) <= 2
        for link in links:
            assert masculine(link.user.last_name) == masculine(student.last_name)
            if link.relation == Guardian.Relation.FATHER:
                assert patronymic_for(link.user.first_name, student.gender) == student.middle_name


def test_names_match_gender(demo: DemoResult) -> None:
    boys = set(SLAVIC.boys + TATAR.boys)
    girls = set(SLAVIC.girls + TATAR.girls)
    for s in Student.objects.all():
        if s.gender == Gender.MALE:
            assert s.first_name in boys and s.middle_name.endswith("ич")
            assert masculine(s.last_name) == s.last_name
        else:
            assert s.first_name in girls and s.middle_name.endswith("на")
    for link in Guardian.objects.select_related("user"):
        ending = "на" if link.relation == Guardian.Relation.MOTHER else "ич"
        assert link.user.middle_name.endswith(ending)


def test_birth_dates_match_the_grade(demo: DemoResult) -> None:
    september = datetime.date(2026, 9, 1)
    rows = Student.objects.values_list("birth_date", "enrollments__school_class__grade")
    for birth_date, grade in rows:
        age = (september - birth_date).days / 365.25
        assert grade + 5.4 < age < grade + 6.6, (birth_date, grade)


def test_logins_are_unique_readable_transliterations(demo: DemoResult) -> None:
    logins = list(User.objects.values_list("username", flat=True))
    assert len(logins) == len(set(logins))
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+\d*", login) for login in logins), logins
    student = Student.objects.select_related("user").filter(last_name="Иванов").first()
    if student:
        assert student.user.username.startswith("ivanov.")


def test_every_role_of_the_order_is_held_and_demo_accounts_need_no_password_change(
    demo: DemoResult,
) -> None:
    assert set(RoleMembership.objects.values_list("role", flat=True)) == set(Role.values)
    for kind in (CourseKind.EXTRACURRICULAR, CourseKind.ADDITIONAL):
        group = Course.objects.filter(kind=kind, school_class__isnull=True).first()
        assert group.teachers.get().roles.filter(role=Role.TEACHER).exists()
    assert {a.key for a in demo.accounts} == set(DEMO_PASSWORDS)
    for account in demo.accounts:
        assert account.user.check_password(account.password)
        assert not account.user.must_change_password
    others = User.objects.exclude(pk__in=[a.user.pk for a in demo.accounts])
    assert not others.filter(must_change_password=False).exists()


def test_the_year_follows_the_regulations(demo: DemoResult) -> None:
    year = AcademicYear.objects.get()
    assert (year.name, year.start, year.end) == (
        "2026/2027",
        datetime.date(2026, 9, 1),
        datetime.date(2027, 5, 26),
    )
    assert year_structure_problems(year, year.period_set.all(), year.vacation_set.all()) == []
    schemes = dict(SchoolClass.objects.values_list("grade", "period_scheme"))
    assert schemes[9] == PeriodScheme.QUARTERS and schemes[10] == PeriodScheme.HALVES
    assert year.vacation_set.filter(min_grade=1, max_grade=1).count() == 1


def test_the_year_before_august_is_the_previous_one(db: None) -> None:
    generate(seed=7, **{**TINY, "today": datetime.date(2027, 7, 31)})
    assert AcademicYear.objects.get().name == "2026/2027"


def test_some_siblings_share_a_guardian(db: None) -> None:
    generate(seed=7, classes_per_grade=(1, 1), students_per_class=25, today=TODAY)
    shared = Guardian.objects.values("user").annotate(n=Count("student")).filter(n__gt=1)
    assert shared.exists()


def snapshot_of(seed: int) -> list[tuple[Any, ...]]:
    """Generate in a savepoint, describe the data, roll it back."""
    with transaction.atomic():
        generate(seed=seed, **TINY)
        rows = list(
            Student.objects.order_by("pk").values_list(
                "last_name",
                "first_name",
                "middle_name",
                "birth_date",
                "user__username",
                "enrollments__school_class__letter",
            )
        )
        rows += list(User.objects.order_by("pk").values_list("username", "last_name"))
        transaction.set_rollback(True)
    return rows


def test_the_same_seed_gives_the_same_data(db: None) -> None:
    first = snapshot_of(7)
    assert snapshot_of(7) == first
    assert snapshot_of(8) != first


def test_every_cross_class_group_has_members_of_its_grades_and_a_plain_name(
    demo: DemoResult,
) -> None:
    from otmetka.curriculum.models import CourseMember

    groups = Course.objects.filter(school=demo.schools[0], school_class__isnull=True)
    assert groups.count() == 8
    for course in groups:
        assert course.name.endswith("кл.") and course.subject.name not in course.name
        lo, hi = (int(g) for g in re.findall(r"\d+", course.name))
        members = CourseMember.objects.filter(course=course)
        assert members.exists(), course
        for member in members:
            grade = member.student.enrollments.get().school_class.grade
            assert lo <= grade <= hi


def test_crimeas_regional_days_are_in_the_demo_calendar(demo: DemoResult) -> None:
    from otmetka.school.calendar import add_working_days

    school = demo.schools[0]
    assert add_working_days(school, datetime.date(2025, 3, 17), 1) == datetime.date(2025, 3, 19)
