"""The shared "school world": two schools and every persona of STYLE.md, built from real rows.

School №1 (Столбовская СШ) has classes 7А and 7Б; School №2 is another school of the same district.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from otmetka.access.models import Role, RoleMembership
from otmetka.accounts.models import User
from otmetka.curriculum.models import Course, Subject
from otmetka.people.models import Guardian, Staff, Student
from otmetka.school.models import (
    AcademicYear,
    District,
    Enrollment,
    Period,
    PeriodScheme,
    Region,
    School,
    SchoolClass,
)

PASSWORD = "Otmetka-test-2026"

PERSONAS = (
    "admin",
    "deputy",
    "director",
    "secretary",
    "nurse",
    "web_editor",
    "teacher_7a_math",
    "teacher_7b",
    "homeroom_7a",
    "student_7a",
    "student_7b",
    "guardian_7a",
    "teacher_other_school",
    "region_viewer",
    "outsider",
)


@dataclass
class World:
    school: School
    other_school: School
    year: AcademicYear
    class_7a: SchoolClass
    class_7b: SchoolClass
    other_class: SchoolClass
    math: Subject
    course_7a_math: Course
    course_7b_russian: Course
    pupil_7a: Student
    pupil_7b: Student
    other_pupil: Student
    guardian_link: Guardian
    users: dict[str, User]

    def user(self, persona: str) -> User:
        return self.users[persona]


def _user(username: str, last: str, first: str, middle: str = "") -> User:
    user = User(username=username, last_name=last, first_name=first, middle_name=middle)
    user.set_password(PASSWORD)
    user.save()
    return user


def _year(school: School) -> AcademicYear:
    year = AcademicYear.objects.create(
        school=school,
        name="2026/2027",
        start=datetime.date(2026, 9, 1),
        end=datetime.date(2027, 5, 26),
    )
    bounds = [((9, 1), (10, 23)), ((11, 5), (12, 30)), ((1, 12), (3, 19)), ((3, 29), (5, 26))]
    for n, (a, b) in enumerate(bounds, start=1):
        y1 = 2026 if a[0] >= 9 else 2027
        y2 = 2026 if b[0] >= 9 else 2027
        Period.objects.create(
            school=school,
            year=year,
            scheme=PeriodScheme.QUARTERS,
            number=n,
            start=datetime.date(y1, *a),
            end=datetime.date(y2, *b),
        )
    return year


def build_world() -> World:
    region = Region.objects.create(name="Республика Крым", code="91")
    district = District.objects.create(region=region, name="Сакский район")
    school = School.objects.create(
        district=district, name="МБОУ «Столбовская СШ»", short_name="Столбовская СШ"
    )
    other = School.objects.create(
        district=district, name="МБОУ «Орловская СШ»", short_name="Орловская СШ"
    )
    year, other_year = _year(school), _year(other)
    u: dict[str, Any] = {
        "admin": _user("admin", "Админова", "Анна", "Петровна"),
        "deputy": _user("deputy", "Завучева", "Зоя", "Ивановна"),
        "director": _user("director", "Лункина", "Ольга", "Леонидовна"),
        "secretary": _user("secretary", "Секретарёва", "Светлана", "Олеговна"),
        "nurse": _user("nurse", "Здоровая", "Нина", "Павловна"),
        "web_editor": _user("web_editor", "Сайтова", "Вера", "Андреевна"),
        "teacher_7a_math": _user("math7a", "Числов", "Максим", "Андреевич"),
        "teacher_7b": _user("teacher7b", "Буквина", "Мария", "Сергеевна"),
        "homeroom_7a": _user("homeroom7a", "Классная", "Елена", "Викторовна"),
        "student_7a": _user("pupil7a", "Иванов", "Иван", "Иванович"),
        "student_7b": _user("pupil7b", "Петрова", "Дарья", "Олеговна"),
        "guardian_7a": _user("parent7a", "Иванова", "Ирина", "Сергеевна"),
        "teacher_other_school": _user("other_teacher", "Чужой", "Пётр", "Петрович"),
        "region_viewer": _user("region", "Минобрнаукина", "Римма", "Рашидовна"),
        "outsider": _user("outsider", "Посторонний", "Олег", "Олегович"),
    }
    for persona in ("admin", "deputy", "director", "secretary", "nurse", "web_editor"):
        RoleMembership.objects.create(user=u[persona], role=persona, school=school)
    for persona in ("teacher_7a_math", "teacher_7b", "homeroom_7a"):
        RoleMembership.objects.create(user=u[persona], role=Role.TEACHER, school=school)
    RoleMembership.objects.create(user=u["teacher_other_school"], role=Role.TEACHER, school=other)
    RoleMembership.objects.create(user=u["region_viewer"], role=Role.REGION_VIEWER, region=region)
    for persona in (
        "admin",
        "deputy",
        "director",
        "secretary",
        "nurse",
        "web_editor",
        "teacher_7a_math",
        "teacher_7b",
        "homeroom_7a",
    ):
        Staff.objects.create(school=school, user=u[persona], position=persona)
    Staff.objects.create(school=other, user=u["teacher_other_school"], position="teacher")

    quarters = PeriodScheme.QUARTERS
    c7a = SchoolClass.objects.create(
        school=school,
        year=year,
        grade=7,
        letter="А",
        period_scheme=quarters,
        homeroom_teacher=u["homeroom_7a"],
    )
    c7b = SchoolClass.objects.create(
        school=school, year=year, grade=7, letter="Б", period_scheme=quarters
    )
    c_other = SchoolClass.objects.create(
        school=other, year=other_year, grade=7, letter="А", period_scheme=quarters
    )
    math = Subject.objects.create(school=school, name="Математика", position=10)
    russian = Subject.objects.create(school=school, name="Русский язык", position=1)
    other_math = Subject.objects.create(school=other, name="Математика", position=10)
    course_math = Course.objects.create(school=school, year=year, subject=math, school_class=c7a)
    course_math.teachers.add(u["teacher_7a_math"])
    course_ru = Course.objects.create(school=school, year=year, subject=russian, school_class=c7b)
    course_ru.teachers.add(u["teacher_7b"])
    other_course = Course.objects.create(
        school=other, year=other_year, subject=other_math, school_class=c_other
    )
    other_course.teachers.add(u["teacher_other_school"])

    start = datetime.date(2026, 9, 1)
    p7a = Student.objects.create(
        school=school,
        user=u["student_7a"],
        last_name="Иванов",
        first_name="Иван",
        middle_name="Иванович",
    )
    p7b = Student.objects.create(
        school=school,
        user=u["student_7b"],
        last_name="Петрова",
        first_name="Дарья",
        middle_name="Олеговна",
    )
    p_other = Student.objects.create(school=other, last_name="Сидоров", first_name="Семён")
    Enrollment.objects.create(school=school, student=p7a, school_class=c7a, start=start)
    Enrollment.objects.create(school=school, student=p7b, school_class=c7b, start=start)
    Enrollment.objects.create(school=other, student=p_other, school_class=c_other, start=start)
    link = Guardian.objects.create(
        school=school, student=p7a, user=u["guardian_7a"], relation=Guardian.Relation.MOTHER
    )
    return World(
        school=school,
        other_school=other,
        year=year,
        class_7a=c7a,
        class_7b=c7b,
        other_class=c_other,
        math=math,
        course_7a_math=course_math,
        course_7b_russian=course_ru,
        pupil_7a=p7a,
        pupil_7b=p7b,
        other_pupil=p_other,
        guardian_link=link,
        users=u,
    )
