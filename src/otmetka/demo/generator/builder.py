"""The builder of one school: its year, subjects, staff, classes, courses, students and
families, from one random stream; then the timetable and the journal (`journal.py`)."""

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from otmetka.access.models import Role, RoleMembership
from otmetka.accounts.models import User
from otmetka.curriculum.models import AssessmentMode, Course, CourseKind, CourseMember, Subject
from otmetka.demo import data
from otmetka.demo.bulk import BulkWriter
from otmetka.demo.generator.calendar import year_plan
from otmetka.demo.generator.journal import Journal
from otmetka.demo.generator.names import patronymic_for, surname_for, translit
from otmetka.demo.generator.rows import Family, SchoolRows
from otmetka.people.models import Gender, Guardian, Staff, Student
from otmetka.school.models import (
    AcademicYear,
    District,
    Enrollment,
    Period,
    PeriodScheme,
    Region,
    School,
    SchoolClass,
    Vacation,
)

LETTERS = "АБВГДЕЖИКЛМН"
SIBLING_SHARE = 0.15  # share of students with a brother or sister already at school
GROUP_SIZE = 14  # students in a cross-class group (a club, a studio)
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


class Builder:
    """Holds the random stream, the taken logins and the shared password hashes of one run."""

    def __init__(self, *, seed: int, today: datetime.date, rollups: bool = True) -> None:
        self.seed = seed
        self.rollups = rollups  # each school's compliance rollups, computed as it is written
        self.rng = random.Random(seed)
        self.password_rng = random.Random(f"{seed}:passwords")
        self.today = today
        self.writer = BulkWriter(now=timezone.now())
        self.logins = set(User.objects.values_list("username", flat=True))
        self.login_next: dict[str, int] = {}
        self.passwords: dict[str, str] = {}
        self.hashes: dict[str, str] = {}

    # people

    def user(self, role: str, last: str, first: str, middle: str) -> User:
        """An unsaved user with a unique login and the shared issued password of its role."""
        role = str(role)
        if role not in self.hashes:
            plain = "".join(self.password_rng.choice(_PASSWORD_ALPHABET) for _ in range(12))
            self.passwords[role], self.hashes[role] = plain, make_password(plain)
        return User(
            username=self.login(last, first, middle),
            last_name=last,
            first_name=first,
            middle_name=middle,
            password=self.hashes[role],
            must_change_password=True,
        )

    def login(self, last: str, first: str, middle: str) -> str:
        """ivanov.i, then ivanov.is, then ivanov.i2, ivanov.i3…"""
        stem = f"{translit(last)}.{translit(first)[:1]}"
        for candidate in (stem, stem + translit(middle)[:1]):
            if candidate not in self.logins:
                break
        else:
            n = self.login_next.get(stem, 2)
            while f"{stem}{n}" in self.logins:
                n += 1
            self.login_next[stem] = n + 1
            candidate = f"{stem}{n}"
        self.logins.add(candidate)
        return candidate

    def culture(self) -> data.NameSet:
        """Slavic names, or Crimean Tatar ones for about one family in seven."""
        return data.TATAR if self.rng.random() < data.TATAR_SHARE else data.SLAVIC

    def adult(
        self,
        role: str,
        gender: str,
        names: data.NameSet | None = None,
        surname: str | None = None,
        first: str | None = None,
    ) -> User:
        """An adult of a culture; a family passes its surname (and the father's name)."""
        names = names or self.culture()
        first = first or self.rng.choice(names.men if gender == Gender.MALE else names.women)
        last = surname_for(surname or self.rng.choice(names.surnames), gender)
        return self.user(role, last, first, patronymic_for(self.rng.choice(names.men), gender))

    def gender(self, female_share: float = 0.5) -> str:
        """Female with the given probability (teachers are mostly women)."""
        return Gender.FEMALE if self.rng.random() < female_share else Gender.MALE

    # one school

    def school(self, region: Region, n: int, per_grade: tuple[int, int], per_class: int) -> School:
        """Write one school with everything in it."""
        district_name = data.DISTRICTS[n // data.SCHOOLS_PER_DISTRICT % len(data.DISTRICTS)]
        district, _ = District.objects.get_or_create(region=region, name=district_name)
        base = data.SCHOOL_NAMES[n % len(data.SCHOOL_NAMES)]
        suffix = f" № {n // len(data.SCHOOL_NAMES) + 1}" if n >= len(data.SCHOOL_NAMES) else ""
        school = School.objects.create(
            district=district,
            name=f"Муниципальное бюджетное общеобразовательное учреждение «{base} средняя "
            f"школа{suffix}» муниципального образования {district_name} Республики Крым",
            short_name=f"МБОУ «{base} СШ{suffix}»",
        )
        rows = SchoolRows(school=school, year=self.academic_year(school))
        self.subjects(rows)
        for grade in range(1, 12):
            for letter in LETTERS[: self.rng.randint(*per_grade)]:
                scheme = PeriodScheme.HALVES if grade >= 10 else PeriodScheme.QUARTERS
                rows.classes.append(
                    SchoolClass(
                        school=school,
                        year=rows.year,
                        grade=grade,
                        letter=letter,
                        period_scheme=scheme,
                        week_days=school.week_days_for_grade(grade),
                    )
                )
        self.administration(rows)
        self.lesson_courses(rows)
        self.homerooms(rows)
        self.group_courses(rows)
        self.write_staff(rows)
        self.students(rows, per_class)
        self.group_members(rows)
        Journal(rows, random.Random(f"{self.seed}:{n}:journal"), self.today, self.writer).build(
            rollups=self.rollups
        )
        return school

    def academic_year(self, school: School) -> AcademicYear:
        """The current year (it turns over on 1 August) with quarters, half-years, vacations."""
        first = self.today.year if self.today.month >= 8 else self.today.year - 1
        quarters, vacations = year_plan(first)
        year = AcademicYear.objects.create(
            school=school, name=f"{first}/{first + 1}", start=quarters[0][0], end=quarters[-1][1]
        )
        halves = [(quarters[0][0], quarters[1][1]), (quarters[2][0], quarters[3][1])]
        Period.objects.bulk_create(
            Period(school=school, year=year, scheme=scheme, number=i, start=a, end=b)
            for scheme, bounds in ((PeriodScheme.QUARTERS, quarters), (PeriodScheme.HALVES, halves))
            for i, (a, b) in enumerate(bounds, start=1)
        )
        Vacation.objects.bulk_create(
            Vacation(
                school=school, year=year, name=name, start=a, end=b, min_grade=lo, max_grade=hi
            )
            for name, a, b, lo, hi in vacations
        )
        return year

    def subjects(self, rows: SchoolRows) -> None:
        """The subject catalogue: the study plan, then extracurricular and club subjects."""
        names = [name for name, _hours in data.PLAN]
        names += [data.CLASS_TALK, *dict.fromkeys(g[2] for g in data.GROUPS)]
        rows.subjects = {
            s.name: s
            for s in Subject.objects.bulk_create(
                Subject(
                    school=rows.school,
                    name=name,
                    short_name=data.SHORT_NAMES.get(name, ""),
                    position=(i + 1) * 10,
                )
                for i, name in enumerate(names)
            )
        }

    def administration(self, rows: SchoolRows) -> None:
        """Director, deputies, administrator, secretary, site editor, nurse."""
        for role, position in data.ADMINISTRATION:
            gender = Gender.FEMALE if role == Role.NURSE else self.gender(0.75)
            rows.staff.append((self.adult(role, gender), position, role))

    def teacher(self, rows: SchoolRows, position: str) -> User:
        """A new teacher (role `teacher`) in the given position."""
        user = self.adult(Role.TEACHER, self.gender(0.85))
        rows.staff.append((user, position, Role.TEACHER))
        return user

    def course(self, rows: SchoolRows, subject: str, teacher: User, **fields: Any) -> None:
        """An unsaved course of the school's year with its one teacher."""
        course = Course(
            school=rows.school, year=rows.year, subject=rows.subjects[subject], **fields
        )
        rows.courses.append((course, teacher))

    def lesson_courses(self, rows: SchoolRows) -> None:
        """Courses of the study plan: primary classes by their teacher (English by a specialist),
        grades 5–11 by subject teachers, each filled up to MAX_LOAD hours before the next."""
        specialty_of = {s: key for key, spec in data.SPECIALTIES.items() for s in spec.subjects}
        loads: dict[str, list[list[Any]]] = defaultdict(list)
        for cls in rows.classes:
            if cls.grade <= 4:
                cls.homeroom_teacher = self.teacher(rows, data.PRIMARY_POSITION)
            bundles: dict[str, list[tuple[str, int]]] = defaultdict(list)
            hours: Any  # the plan's hours per grade here, one course's hours below
            for subject, hours in data.PLAN:
                if hours[cls.grade - 1]:
                    key = specialty_of.get(subject, "primary")
                    if cls.grade <= 4 and key != "english":
                        key = "primary"
                    bundles[key].append((subject, hours[cls.grade - 1]))
            for key, items in bundles.items():
                total = sum(h for _s, h in items)
                if key == "primary":
                    teacher = cls.homeroom_teacher
                else:
                    teacher = self.subject_teacher(rows, loads[key], key, total)
                for subject, hours in items:
                    self.course(
                        rows,
                        subject,
                        teacher,  # type: ignore[arg-type]  # a primary class has its teacher (above)
                        school_class=cls,
                        hours_per_week=Decimal(hours),
                        assessment=_assessment(subject, cls.grade),
                    )

    def subject_teacher(
        self, rows: SchoolRows, pool: list[list[Any]], key: str, hours: int
    ) -> User:
        """The first teacher of the specialty with room for `hours`, or a newly hired one."""
        for slot in pool:
            if slot[1] + hours <= data.MAX_LOAD:
                slot[1] += hours
                return slot[0]
        pool.append([self.teacher(rows, data.SPECIALTIES[key].position), hours])
        return pool[-1][0]

    def homerooms(self, rows: SchoolRows) -> None:
        """Subject teachers lead the classes of grades 5–11 (one class each while they last)."""
        primary = {id(c.homeroom_teacher) for c in rows.classes if c.grade <= 4}
        candidates = [
            u for u, _p, role in rows.staff if role == Role.TEACHER and id(u) not in primary
        ]
        self.rng.shuffle(candidates)
        senior = [c for c in rows.classes if c.grade > 4]
        for i, cls in enumerate(senior):
            cls.homeroom_teacher = candidates[i % len(candidates)]
        for cls in rows.classes:
            self.course(
                rows,
                data.CLASS_TALK,
                cls.homeroom_teacher,  # type: ignore[arg-type]  # every class has one by now
                school_class=cls,
                kind=CourseKind.EXTRACURRICULAR,
                assessment=AssessmentMode.NONE,
            )

    def group_courses(self, rows: SchoolRows) -> None:
        """Cross-class groups of extracurricular activities and additional education."""
        teachers: dict[str, User] = {}
        for kind, position, subject, (lo, hi), hours in data.GROUPS:
            if position not in teachers:
                teachers[position] = self.teacher(rows, position)
            # The group's name says what the subject does not: the grades it takes.
            self.course(
                rows,
                subject,
                teachers[position],
                kind=kind,
                name=f"{lo}–{hi} кл.",
                assessment=AssessmentMode.NONE,
                hours_per_week=Decimal(hours),
            )
            rows.groups.append((rows.courses[-1][0], lo, hi))

    def group_members(self, rows: SchoolRows) -> None:
        """Members of each cross-class group: students of its grades, from the year's start."""
        by_grade: dict[int, list[Student]] = defaultdict(list)
        for cls in rows.classes:
            by_grade[cls.grade].extend(rows.pupils[cls.pk])
        members = []
        for course, lo, hi in rows.groups:
            pool = [s for grade in range(lo, hi + 1) for s in by_grade[grade]]
            chosen = self.rng.sample(pool, min(len(pool), GROUP_SIZE))
            members += [
                CourseMember(school=rows.school, course=course, student=s, start=rows.year.start)
                for s in sorted(chosen, key=lambda s: s.pk)
            ]
        CourseMember.objects.bulk_create(members)

    def write_staff(self, rows: SchoolRows) -> None:
        """Users, roles, staff records, classes and courses of the school, in bulk."""
        school, start = rows.school, rows.year.start
        User.objects.bulk_create([u for u, _p, _r in rows.staff])
        RoleMembership.objects.bulk_create(
            RoleMembership(user=u, role=role, school=school) for u, _p, role in rows.staff if role
        )
        Staff.objects.bulk_create(
            Staff(
                school=school,
                user=u,
                position=position,
                hired_on=start - datetime.timedelta(days=self.rng.randrange(30, 30 * 365)),
            )
            for u, position, _r in rows.staff
        )
        SchoolClass.objects.bulk_create(rows.classes)
        Course.objects.bulk_create([c for c, _t in rows.courses])
        Course.teachers.through.objects.bulk_create(
            Course.teachers.through(course_id=c.pk, user_id=t.pk) for c, t in rows.courses
        )

    def students(self, rows: SchoolRows, per_class: int) -> None:
        """Students of every class with their logins, families and enrollments."""
        families: list[Family] = []
        placed: list[tuple[Student, SchoolClass, Family]] = []
        spread = per_class // 8
        for cls in rows.classes:
            for _ in range(max(1, per_class + self.rng.randint(-spread, spread))):
                family = self.family(families, cls.grade)
                placed.append((self.student(rows, family, cls.grade), cls, family))
        # A new student always has its new user (`student()` sets it).
        users: list[User] = [s.user for s, _c, _f in placed]  # type: ignore[misc]
        users += [u for f in families for u, _rel, _phone in f.guardians]
        User.objects.bulk_create(users)
        Student.objects.bulk_create([s for s, _c, _f in placed])
        for s, c, _f in placed:
            rows.pupils[c.pk].append(s)
        Enrollment.objects.bulk_create(
            Enrollment(school=rows.school, student=s, school_class=c, start=rows.year.start)
            for s, c, _f in placed
        )
        Guardian.objects.bulk_create(
            Guardian(school=rows.school, student=s, user=u, relation=rel, phone=phone)
            for s, _c, f in placed
            for u, rel, phone in f.guardians
        )

    def family(self, families: list[Family], grade: int) -> Family:
        """A family already at school (a brother or sister in another grade) or a new one."""
        if families and self.rng.random() < SIBLING_SHARE:
            family = self.rng.choice(families)
            if grade not in family.grades:
                family.grades.add(grade)
                return family
        names = self.culture()
        family = Family(names, self.rng.choice(names.surnames), self.rng.choice(names.men))
        family.grades.add(grade)
        has_mother = self.rng.random() < 0.9
        if has_mother:
            mother = self.adult("guardian", Gender.FEMALE, names, family.surname)
            family.guardians.append((mother, Guardian.Relation.MOTHER, self.phone()))
        if not has_mother or self.rng.random() < 0.45:
            father = self.adult("guardian", Gender.MALE, names, family.surname, family.father)
            family.guardians.append((father, Guardian.Relation.FATHER, self.phone()))
        families.append(family)
        return family

    def phone(self) -> str:
        """A Crimean mobile number (+7 978 …)."""
        r = self.rng.randint
        return f"+7 978 {r(100, 999)}-{r(10, 99)}-{r(10, 99)}"

    def student(self, rows: SchoolRows, family: Family, grade: int) -> Student:
        """An unsaved child of the family, of the age of the grade, with a login."""
        gender = self.gender()
        names = family.names
        first = self.rng.choice(names.girls if gender == Gender.FEMALE else names.boys)
        last = surname_for(family.surname, gender)
        middle = patronymic_for(family.father, gender)
        born = datetime.date(rows.year.start.year - 6 - grade, 3, 1)
        return Student(
            school=rows.school,
            user=self.user("student", last, first, middle),
            last_name=last,
            first_name=first,
            middle_name=middle,
            gender=gender,
            birth_date=born + datetime.timedelta(days=self.rng.randrange(365)),
        )

    def region_viewer(self, region: Region) -> None:
        """One user of the republic's ministry of education, unless the region has one."""
        if RoleMembership.objects.filter(role=Role.REGION_VIEWER, region=region).exists():
            return
        user = self.adult(Role.REGION_VIEWER, self.gender(0.6))
        user.save()
        RoleMembership.objects.create(user=user, role=Role.REGION_VIEWER, region=region)

    def region_operator(self, region: Region) -> None:
        """One keeper of the republic's regional calendar, unless the region has one."""
        if RoleMembership.objects.filter(role=Role.REGION_OPERATOR, region=region).exists():
            return
        user = self.adult(Role.REGION_OPERATOR, self.gender(0.6))
        user.save()
        RoleMembership.objects.create(user=user, role=Role.REGION_OPERATOR, region=region)


def _assessment(subject: str, grade: int) -> str:
    """Grade 1 has no marks; ОРКСЭ and the individual project are pass/fail."""
    if grade == 1:
        return AssessmentMode.NONE
    if subject in data.PASS_FAIL_SUBJECTS:
        return AssessmentMode.PASS_FAIL
    return AssessmentMode.POINTS_2_5
