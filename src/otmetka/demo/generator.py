"""The demo school generator: realistic, fictional schools of Crimea from a seed and a size.

One module on purpose: later features add their data here (timetables, lessons, marks), and
benchmarks grow it to many schools with `generate(schools=530)`. The same seed gives the same
data on an empty database.
"""

import datetime
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from otmetka.access.models import Role, RoleMembership
from otmetka.accounts.models import User
from otmetka.audit.services import event_record
from otmetka.curriculum.models import (
    AssessmentMode,
    Course,
    CourseKind,
    PlannedTopic,
    Subject,
    ThematicPlan,
    TimetableSlot,
)
from otmetka.demo import data
from otmetka.demo.bulk import BulkWriter
from otmetka.demo.diary import diary_demo_add
from otmetka.demo.grading import period_marks_generate
from otmetka.demo.messaging import messages_generate
from otmetka.demo.selectors import DEMO_ROLES, GENERATED, demo_users
from otmetka.journal.defaults import journal_defaults_ensure
from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark, MarkKind, Substitution
from otmetka.journal.schedule import lessons_planned
from otmetka.people.models import Gender, Guardian, Staff, Student
from otmetka.school.calendar import Status, federal_status, year_bounds
from otmetka.school.models import (
    AcademicYear,
    Bell,
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
# The printed demo accounts: known passwords, no forced change.
DEMO_PASSWORDS = {key: f"demo-{key.replace('_', '-')}" for key, _label in DEMO_ROLES}
SIZES: dict[str, dict[str, Any]] = {
    "tiny": {"classes_per_grade": (1, 1), "students_per_class": 5},
    "small": {"classes_per_grade": (1, 2), "students_per_class": 15},
    "full": {},
}
SIBLING_SHARE = 0.15  # share of students with a brother or sister already at school
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


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
        return result


SchoolShape = tuple[tuple[int, int], int]  # (classes per grade: from, to), students per class


def schools_generate(
    shapes: Sequence[SchoolShape],
    *,
    seed: int,
    today: datetime.date | None = None,
    each: Callable[[School, BulkWriter], None] = lambda _school, _writer: None,
    school_atomic: Callable[[], AbstractContextManager[Any]] = nullcontext,
) -> DemoResult:
    """One school per shape, then the region's viewer and the demo accounts of the first school.
    `school_atomic` wraps each school (a transaction of its own in a long load); `each` is called
    after each one (a progress line)."""
    started = time.perf_counter()
    builder = _Builder(seed=seed, today=today or timezone.localdate())
    region, _ = Region.objects.get_or_create(name=data.REGION[0], defaults={"code": data.REGION[1]})
    made = []
    for n, (per_grade, per_class) in enumerate(shapes):
        with school_atomic():
            school = builder.school(region, n, per_grade, per_class)
            event_record(actor=None, action=GENERATED, obj=school, after={"seed": seed})
        made.append(school)
        each(school, builder.writer)
    with school_atomic():
        builder.region_viewer(region)
        accounts = demo_accounts_ensure(school=made[0])
        messages_generate(school=made[0], users={a.key: a.user for a in accounts}, seed=seed)
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


# --- names --------------------------------------------------------------------------------------


def surname_for(surname: str, gender: str) -> str:
    """The surname in the form for this gender: Иванов → Иванова, Островский → Островская."""
    if gender == Gender.MALE:
        return surname
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith(("ский", "цкий", "ой")):
        return surname[:-2] + "ая"
    return surname  # Шевченко, Ковальчук: the same for both


def patronymic_for(father: str, gender: str) -> str:
    """The patronymic from the father's name: Сергей → Сергеевич / Сергеевна."""
    if father in data.PATRONYMIC_EXCEPTIONS:
        male, female = data.PATRONYMIC_EXCEPTIONS[father]
    elif father.endswith("ий"):
        male, female = father[:-2] + "ьевич", father[:-2] + "ьевна"
    elif father.endswith(("ей", "ай", "ь")):
        male, female = father[:-1] + "евич", father[:-1] + "евна"
    else:
        male, female = father + "ович", father + "овна"
    return male if gender == Gender.MALE else female


def translit(text: str) -> str:
    """Letters only, Latin: Щербакова → shcherbakova (for logins)."""
    return "".join(data.TRANSLIT.get(ch, ch) for ch in text.lower() if ch.isalpha())


# --- calendar -----------------------------------------------------------------------------------


def _working(day: datetime.date, step: int) -> datetime.date:
    """`day` or the nearest working day after it (step 1) or before it (step -1)."""
    while federal_status(day) is not Status.WORKING:
        day += datetime.timedelta(days=step)
    return day


def year_plan(start_year: int) -> tuple[list[tuple[datetime.date, datetime.date]], list[tuple]]:
    """Quarters and vacations of the year starting in `start_year` (regulations R29, after the
    2025/26 example): periods start and end on working days; the gaps between them are the
    vacations, plus a February week for grade 1."""
    first, last = year_bounds(start_year)
    y, n = start_year, start_year + 1
    date = datetime.date
    ends = [_working(d, -1) for d in (date(y, 10, 24), date(y, 12, 30), date(n, 3, 20))]
    starts = [_working(d, 1) for d in (date(y, 11, 5), date(n, 1, 9), date(n, 3, 30))]
    quarters = list(zip([first, *starts], [*ends, last], strict=True))
    day = datetime.timedelta(days=1)
    names = ("Осенние каникулы", "Зимние каникулы", "Весенние каникулы")
    vacations = [
        (name, quarters[i][1] + day, quarters[i + 1][0] - day, 1, 11)
        for i, name in enumerate(names)
    ]
    # Grade 1 rests one more week in February: Saturday before the third Monday to Sunday after.
    feb = datetime.date(start_year + 1, 2, 1)
    third_monday = feb + datetime.timedelta(days=(7 - feb.weekday()) % 7 + 14)
    extra = ("Дополнительные каникулы", third_monday - 2 * day, third_monday + 6 * day, 1, 1)
    return quarters, sorted([*vacations, extra], key=lambda v: v[1])


# --- the builder --------------------------------------------------------------------------------


@dataclass
class _Family:
    names: data.NameSet
    surname: str
    father: str
    guardians: list[tuple[User, str, str]] = field(default_factory=list)
    grades: set[int] = field(default_factory=set)


@dataclass
class _SchoolRows:
    """Rows of one school, gathered in memory and written in bulk."""

    school: School
    year: AcademicYear
    subjects: dict[str, Subject] = field(default_factory=dict)
    classes: list[SchoolClass] = field(default_factory=list)
    staff: list[tuple[User, str, str | None]] = field(default_factory=list)
    courses: list[tuple[Course, User]] = field(default_factory=list)
    pupils: dict[int, list[Student]] = field(default_factory=lambda: defaultdict(list))


class _Builder:
    """Holds the random stream, the taken logins and the shared password hashes of one run."""

    def __init__(self, *, seed: int, today: datetime.date) -> None:
        self.seed = seed
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
        rows = _SchoolRows(school=school, year=self.academic_year(school))
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
        _Journal(rows, random.Random(f"{self.seed}:{n}:journal"), self.today, self.writer).build()
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

    def subjects(self, rows: _SchoolRows) -> None:
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

    def administration(self, rows: _SchoolRows) -> None:
        """Director, deputies, administrator, secretary, site editor, nurse."""
        for role, position in data.ADMINISTRATION:
            gender = Gender.FEMALE if role == Role.NURSE else self.gender(0.75)
            rows.staff.append((self.adult(role, gender), position, role))

    def teacher(self, rows: _SchoolRows, position: str) -> User:
        """A new teacher (role `teacher`) in the given position."""
        user = self.adult(Role.TEACHER, self.gender(0.85))
        rows.staff.append((user, position, Role.TEACHER))
        return user

    def course(self, rows: _SchoolRows, subject: str, teacher: User, **fields: Any) -> None:
        """An unsaved course of the school's year with its one teacher."""
        course = Course(
            school=rows.school, year=rows.year, subject=rows.subjects[subject], **fields
        )
        rows.courses.append((course, teacher))

    def lesson_courses(self, rows: _SchoolRows) -> None:
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
        self, rows: _SchoolRows, pool: list[list[Any]], key: str, hours: int
    ) -> User:
        """The first teacher of the specialty with room for `hours`, or a newly hired one."""
        for slot in pool:
            if slot[1] + hours <= data.MAX_LOAD:
                slot[1] += hours
                return slot[0]
        pool.append([self.teacher(rows, data.SPECIALTIES[key].position), hours])
        return pool[-1][0]

    def homerooms(self, rows: _SchoolRows) -> None:
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

    def group_courses(self, rows: _SchoolRows) -> None:
        """Cross-class groups of extracurricular activities and additional education."""
        teachers: dict[str, User] = {}
        for kind, position, subject, (lo, hi), hours in data.GROUPS:
            if position not in teachers:
                teachers[position] = self.teacher(rows, position)
            self.course(
                rows,
                subject,
                teachers[position],
                kind=kind,
                name=f"{subject} ({lo}–{hi} кл.)",
                assessment=AssessmentMode.NONE,
                hours_per_week=Decimal(hours),
            )

    def write_staff(self, rows: _SchoolRows) -> None:
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

    def students(self, rows: _SchoolRows, per_class: int) -> None:
        """Students of every class with their logins, families and enrollments."""
        families: list[_Family] = []
        placed: list[tuple[Student, SchoolClass, _Family]] = []
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

    def family(self, families: list[_Family], grade: int) -> _Family:
        """A family already at school (a brother or sister in another grade) or a new one."""
        if families and self.rng.random() < SIBLING_SHARE:
            family = self.rng.choice(families)
            if grade not in family.grades:
                family.grades.add(grade)
                return family
        names = self.culture()
        family = _Family(names, self.rng.choice(names.surnames), self.rng.choice(names.men))
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

    def student(self, rows: _SchoolRows, family: _Family, grade: int) -> Student:
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


def _assessment(subject: str, grade: int) -> str:
    """Grade 1 has no marks; ОРКСЭ and the individual project are pass/fail."""
    if grade == 1:
        return AssessmentMode.NONE
    if subject in data.PASS_FAIL_SUBJECTS:
        return AssessmentMode.PASS_FAIL
    return AssessmentMode.POINTS_2_5


# --- timetable, КТП and the journal ------------------------------------------------------------

SCHOOL_DAYS_AHEAD = 14  # lessons are generated up to two weeks after today
MARKS_PER_WEEK = 8  # marks a student gets in a week across all subjects
WHOLE_CLASS_EVERY = 8  # without a КТП, every 8th lesson of a course is a written work
ILLNESS_START = 0.009  # chance a healthy student falls ill on a school day
ILLNESS_DAYS = (2, 6)
# Single absences per student-lesson: (code, chance).
SINGLE_ABSENCES = (("у", 0.004), ("нп", 0.003), ("н", 0.002), ("оп", 0.006))
SINGLE_TOTAL = sum(chance for _code, chance in SINGLE_ABSENCES)
LATE_SHARE = 0.08  # lessons whose topic was entered a few days late
MISSING_SHARE = 0.02  # past lessons with nothing entered yet
ABSENT_SHARE = 0.05  # student-lessons missed, about
SUBSTITUTIONS = 3
MARK_COLUMNS = (
    "school_id",
    "lesson_id",
    "student_id",
    "value",
    "kind_id",
    "created_by_id",
    "created_at",
    "updated_at",
)
ABSENCE_COLUMNS = (
    "school_id",
    "lesson_id",
    "student_id",
    "code_id",
    "minutes_late",
    "created_by_id",
    "created_at",
)


@dataclass
class _Lesson:
    """A generated lesson with what the journal data needs to know about it."""

    row: Lesson
    course: Course
    teacher: User
    weekday: int
    index: int  # the lesson's number within its course, from 0


class _Journal:
    """Bells, the timetable, lessons, КТП and half a term of journal data of one school."""

    def __init__(
        self, rows: _SchoolRows, rng: random.Random, today: datetime.date, writer: BulkWriter
    ) -> None:
        self.rows, self.rng, self.today, self.writer = rows, rng, today, writer
        self.school = rows.school
        self.zone = ZoneInfo(self.school.time_zone)
        self.teacher_of = {c.pk: t for c, t in rows.courses}
        self.courses = {c.pk: c for c, _t in rows.courses}
        self.deputy = next(u for u, _p, role in rows.staff if role == Role.DEPUTY)
        self.busy: set[tuple[int, int, int]] = set()  # (teacher, weekday, bell)
        self.class_busy: set[tuple[int, int, int]] = set()  # (class, weekday, bell)
        self.slots: list[TimetableSlot] = []

    def build(self) -> None:
        """Everything, in order: the data of each step feeds the next."""
        bells = self.bells()
        self.timetable(bells)
        journal_defaults_ensure(school=self.school)
        lessons = self.lessons()
        topics = self.plans(lessons)
        self.journal(lessons, topics)
        period_marks_generate(school=self.school, today=self.today, writer=self.writer,
                              rng=self.rng)  # fmt: skip

    # bells and the timetable

    def bells(self) -> dict[int, Bell]:
        """The first shift from 8:00 with 40-minute lessons."""
        made = Bell.objects.bulk_create(
            Bell(
                school=self.school,
                number=i,
                start=datetime.time.fromisoformat(a),
                end=datetime.time.fromisoformat(b),
            )
            for i, (a, b) in enumerate(data.BELLS, start=1)
        )
        return {b.number: b for b in made}

    def timetable(self, bells: dict[int, Bell]) -> None:
        """Slots for every course: `hours_per_week` a week, no teacher or class in two places."""
        rooms = self.rooms()
        by_class: dict[int, list[Course]] = defaultdict(list)
        groups = []
        for course, _t in self.rows.courses:
            if course.school_class_id:
                by_class[course.school_class_id].append(course)
            else:
                groups.append(course)
        placed: list[tuple[Course, int, int]] | None = []
        for _attempt in range(20):
            self.busy.clear()
            self.class_busy.clear()
            placed = self.class_slots(by_class)
            if placed is not None:
                break
        else:  # pragma: no cover - the plan always fits a 7-lesson day
            raise RuntimeError("the demo timetable does not fit")
        for course in groups:
            placed += self.group_slots(course)
        self.slots = TimetableSlot.objects.bulk_create(
            TimetableSlot(
                school=self.school,
                course=course,
                weekday=weekday,
                bell=bells[bell],
                room=rooms[course.pk],
                valid_from=self.rows.year.start,
            )
            for course, weekday, bell in placed
        )

    def class_slots(
        self, by_class: dict[int, list[Course]]
    ) -> list[tuple[Course, int, int]] | None:
        """Fill each class's week bell by bell, all classes together; None if something is left."""
        classes = sorted(self.rows.classes, key=lambda c: (c.grade, c.letter))
        left: dict[int, dict[int, int]] = {}
        target: dict[int, list[int]] = {}
        for cls in classes:
            courses = by_class[cls.pk]
            left[cls.pk] = {c.pk: int(c.hours_per_week) for c in courses}
            total = sum(left[cls.pk].values())
            base, extra = divmod(total, cls.week_days)
            target[cls.pk] = [base + (d < extra) for d in range(cls.week_days)]
            self.rng.shuffle(target[cls.pk])
        placed: list[tuple[Course, int, int]] = []
        on_day: dict[tuple[int, int], int] = defaultdict(int)
        count: dict[tuple[int, int], int] = defaultdict(int)
        # «Разговоры о важном» opens the week: Monday, first lesson.
        for cls in classes:
            talk = next(c for c in by_class[cls.pk] if c.subject.name == data.CLASS_TALK)
            if self.place(talk, 0, 1):
                self.class_busy.add((cls.pk, 0, 1))
                placed.append((talk, 0, 1))
                left[cls.pk][talk.pk] -= 1
                on_day[(talk.pk, 0)] += 1
                count[(cls.pk, 0)] += 1
        cap = {cls.pk: 5 if cls.grade == 1 else 7 for cls in classes}
        for weekday in range(6):
            for bell in range(1, 8):
                order = list(classes)
                self.rng.shuffle(order)
                for cls in order:
                    if weekday >= cls.week_days or bell > cap[cls.pk]:
                        continue
                    if count[(cls.pk, weekday)] >= target[cls.pk][weekday]:
                        continue
                    if (cls.pk, weekday, bell) in self.class_busy:
                        continue
                    course = self.pick(by_class[cls.pk], left[cls.pk], on_day, weekday, bell)
                    if course is None:
                        continue
                    self.place(course, weekday, bell)
                    self.class_busy.add((cls.pk, weekday, bell))
                    placed.append((course, weekday, bell))
                    left[cls.pk][course.pk] -= 1
                    on_day[(course.pk, weekday)] += 1
                    count[(cls.pk, weekday)] += 1
        for cls in classes:  # what teachers' clashes left over: any free place of the week
            for course in by_class[cls.pk]:
                while left[cls.pk][course.pk]:
                    spot = self.free_spot(cls, course, count, cap[cls.pk])
                    if spot is None:
                        return None
                    weekday, bell = spot
                    self.place(course, weekday, bell)
                    self.class_busy.add((cls.pk, weekday, bell))
                    placed.append((course, weekday, bell))
                    left[cls.pk][course.pk] -= 1
                    count[(cls.pk, weekday)] += 1
        return placed

    def free_spot(
        self, cls: SchoolClass, course: Course, count: dict[tuple[int, int], int], cap: int
    ) -> tuple[int, int] | None:
        """The earliest bell of the lightest day where the class and the teacher are free."""
        teacher = self.teacher_of[course.pk].pk
        for weekday in sorted(range(cls.week_days), key=lambda d: (count[(cls.pk, d)], d)):
            if count[(cls.pk, weekday)] >= cap:
                continue
            for bell in range(1, cap + 1):
                if (cls.pk, weekday, bell) not in self.class_busy and (
                    teacher,
                    weekday,
                    bell,
                ) not in self.busy:
                    return weekday, bell
        return None

    def pick(
        self,
        courses: list[Course],
        left: dict[int, int],
        on_day: dict[tuple[int, int], int],
        weekday: int,
        bell: int,
    ) -> Course | None:
        """The course to put here: most hours left, not yet today, its teacher free."""
        best, best_key = None, None
        for course in courses:
            if not left[course.pk] or (self.teacher_of[course.pk].pk, weekday, bell) in self.busy:
                continue
            key = (on_day[(course.pk, weekday)], -left[course.pk], self.rng.random())
            if best_key is None or key < best_key:
                best, best_key = course, key
        return best

    def place(self, course: Course, weekday: int, bell: int) -> bool:
        """Book the teacher (False if busy)."""
        spot = (self.teacher_of[course.pk].pk, weekday, bell)
        if spot in self.busy:
            return False
        self.busy.add(spot)
        return True

    def group_slots(self, course: Course) -> list[tuple[Course, int, int]]:
        """A cross-class group meets after the lessons, on different days."""
        placed: list[tuple[Course, int, int]] = []
        days = list(range(5))
        self.rng.shuffle(days)
        for weekday in days:
            if len(placed) == int(course.hours_per_week):
                break
            for bell in data.GROUP_BELLS:
                if self.place(course, weekday, bell):
                    placed.append((course, weekday, bell))
                    break
        return placed

    def rooms(self) -> dict[int, str]:
        """A room per course: the class's room in primary school, the teacher's subject room
        above it, halls for PE, music, trud and informatics."""
        specialty_of = {s: key for key, spec in data.SPECIALTIES.items() for s in spec.subjects}
        own: dict[int, str] = {}
        next_number: dict[str, int] = defaultdict(int)
        rooms = {}
        for course, teacher in self.rows.courses:
            subject = course.subject.name
            if subject in data.ROOM_HALLS:
                rooms[course.pk] = data.ROOM_HALLS[subject]
                continue
            if teacher.pk not in own:
                if course.school_class_id is None:
                    key = "group"
                # The class is there: school_class_id is not None (mypy cannot tie the two).
                elif course.school_class.grade <= 4 and subject != data.PLAN[3][0]:  # type: ignore[union-attr]
                    key = "primary"
                else:
                    key = specialty_of.get(subject, "group")
                next_number[key] += 1
                own[teacher.pk] = str(data.ROOM_FLOORS[key] + next_number[key])
            rooms[course.pk] = own[teacher.pk]
        return rooms

    # lessons and КТП

    def lessons(self) -> list[_Lesson]:
        """The timetable's lessons of the year up to two weeks ahead, unsaved but with their ids,
        ordered by course, date and bell, with their course's facts."""
        end = min(self.today + datetime.timedelta(days=SCHOOL_DAYS_AHEAD), self.rows.year.end)
        if end < self.rows.year.start:
            return []
        rows = lessons_planned(school=self.school, start=self.rows.year.start, end=end)
        first = self.writer.ids(Lesson, len(rows))
        for i, row in enumerate(rows):
            row.pk = first + i
        result = []
        index: dict[int, int] = defaultdict(int)
        for row in rows:
            course = self.courses[row.course_id]
            result.append(
                _Lesson(
                    row, course, self.teacher_of[course.pk], row.date.weekday(), index[course.pk]
                )
            )
            index[course.pk] += 1
        return result

    def plans(self, lessons: list[_Lesson]) -> dict[int, PlannedTopic]:
        """КТП of the courses the data has topics for; lesson pk → its planned topic in order."""
        by_course: dict[int, list[_Lesson]] = defaultdict(list)
        for lesson in lessons:
            by_course[lesson.course.pk].append(lesson)
        chosen = [
            # The class is there: school_class_id is set (mypy cannot tie the two).
            (course, data.PLANS[(course.school_class.grade, course.subject.name)])  # type: ignore[union-attr]
            for course, _t in self.rows.courses
            if course.school_class_id
            and (course.school_class.grade, course.subject.name) in data.PLANS  # type: ignore[union-attr]
        ]
        plans = ThematicPlan.objects.bulk_create(
            ThematicPlan(school=self.school, course=course) for course, _topics in chosen
        )
        topics: list[PlannedTopic] = []
        order: dict[int, list[PlannedTopic]] = {}
        for plan, (course, items) in zip(plans, chosen, strict=True):
            course_topics = []
            for position, (title, hours, *kind) in enumerate(items, start=1):
                topic = PlannedTopic(
                    school=self.school,
                    plan=plan,
                    position=position,
                    title=title,
                    hours=hours,
                    is_control=bool(kind),
                    work_kind=kind[0] if kind else "",
                )
                course_topics += [topic] * hours
                topics.append(topic)
            order[course.pk] = course_topics
            for lesson, topic in zip(by_course[course.pk], course_topics, strict=False):
                if topic.planned_date is None:
                    topic.planned_date = lesson.row.date
        PlannedTopic.objects.bulk_create(topics)
        return {
            lesson.row.pk: topic
            for course_pk, course_topics in order.items()
            for lesson, topic in zip(by_course[course_pk], course_topics, strict=False)
        }

    # the journal

    def journal(self, lessons: list[_Lesson], planned: dict[int, PlannedTopic]) -> None:
        """Topics, homework, attendance, marks and absences of the lessons before today."""
        kinds = {k.name: k for k in MarkKind.objects.filter(school=self.school)}
        codes = {c.code: c for c in AbsenceCode.objects.filter(school=self.school)}
        ability = self.abilities()
        past = [x for x in lessons if x.row.date < self.today]
        by_class_day: dict[tuple[int, datetime.date], list[_Lesson]] = defaultdict(list)
        for lesson in past:
            lesson.row.planned_topic = planned.get(lesson.row.pk)
            self.fill(lesson)
            if lesson.course.school_class_id:
                by_class_day[(lesson.course.school_class_id, lesson.row.date)].append(lesson)
        for lesson in lessons:
            if lesson.row.date >= self.today:
                lesson.row.planned_topic = planned.get(lesson.row.pk)
        self.writer.write_objects(Lesson, [x.row for x in lessons])
        absent = self.absences(by_class_day, codes)
        self.marks(past, kinds, ability, absent)
        self.substitutions(past)

    def fill(self, lesson: _Lesson) -> None:
        """Topic, homework and the moments they were entered (mostly the same day)."""
        row, course = lesson.row, lesson.course
        if self.rng.random() < MISSING_SHARE:
            return
        end = datetime.datetime.combine(row.date, row.ends_at or datetime.time(14), self.zone)
        entered = end + datetime.timedelta(minutes=self.rng.randrange(0, 240))
        if self.rng.random() < LATE_SHARE:
            entered += datetime.timedelta(days=self.rng.randint(1, 5))
        row.topic = row.planned_topic.title if row.planned_topic else self.topic(lesson)
        row.topic_entered_at = row.attendance_taken_at = entered
        # The class is there when school_class_id is set (mypy cannot tie the two).
        grade = course.school_class.grade if course.school_class_id else 0  # type: ignore[union-attr]
        if (
            course.kind == CourseKind.LESSON
            and grade > 1
            and course.subject.name not in data.NO_HOMEWORK
            and self.rng.random() < 0.9
        ):
            row.homework = self.homework(course.subject.name)
            row.homework_entered_at = entered

    def topic(self, lesson: _Lesson) -> str:
        """A plausible topic for a course without a КТП."""
        if self.whole_class(lesson):
            return data.CONTROL_TOPIC if lesson.index % 16 == 15 else "Самостоятельная работа"
        items = data.TOPICS.get(lesson.course.subject.name, data.GENERIC_TOPICS)
        return items[lesson.index // 3 % len(items)]

    def homework(self, subject: str) -> str:
        """Homework in the usual textbook form."""
        r = self.rng.randint
        if subject in ("Математика", "Алгебра", "Геометрия", "Физика"):
            return f"§ {r(1, 30)}, № {r(100, 900)}, {r(100, 900)}"
        if subject in ("Русский язык", "Иностранный язык (английский)"):
            return f"Упр. {r(10, 600)}, выучить правило на с. {r(5, 200)}"
        if subject in ("Литература", "Литературное чтение"):
            return f"Прочитать с. {r(10, 150)}–{r(151, 250)}, ответить на вопросы"
        return f"§ {r(1, 30)}, вопросы в конце параграфа"

    def whole_class(self, lesson: _Lesson) -> bool:
        """A written work of the whole class: a control topic of the КТП, or every 8th lesson."""
        if lesson.course.assessment == AssessmentMode.NONE:
            return False
        if lesson.row.planned_topic is not None:
            return lesson.row.planned_topic.is_control
        if lesson.course.subject.name in data.NO_HOMEWORK:
            return False
        return lesson.index % WHOLE_CLASS_EVERY == WHOLE_CLASS_EVERY - 1

    def abilities(self) -> dict[int, float]:
        """Each student's usual mark: strong, average or weak."""
        result = {}
        for class_pk in sorted(self.rows.pupils):
            for student in self.rows.pupils[class_pk]:
                roll = self.rng.random()
                centre, spread = (
                    (4.6, 0.2) if roll < 0.2 else (3.2, 0.3) if roll > 0.75 else (3.9, 0.3)
                )
                result[student.pk] = self.rng.gauss(centre, spread)
        return result

    def absences(
        self,
        by_class_day: dict[tuple[int, datetime.date], list[_Lesson]],
        codes: dict[str, AbsenceCode],
    ) -> dict[int, set[int]]:
        """Illness spells of several days and single absences; lesson pk → absent students."""
        days_of: dict[int, list[datetime.date]] = defaultdict(list)
        for class_pk, day in sorted(by_class_day):
            days_of[class_pk].append(day)
        rows, absent, school = [], defaultdict(set), self.school.pk
        code_pk = {code: c.pk for code, c in codes.items()}
        random_ = self.rng.random
        for class_pk in sorted(days_of):
            # (lesson pk, teacher pk, when attendance was taken) of the days the journal holds
            days = [
                [
                    (x.row.pk, x.teacher.pk, x.row.attendance_taken_at)
                    for x in by_class_day[(class_pk, day)]
                    if x.row.attendance_taken_at is not None
                ]
                for day in days_of[class_pk]
            ]
            for student in self.rows.pupils[class_pk]:
                student_pk, ill = student.pk, 0
                for held in days:
                    if not ill and random_() < ILLNESS_START:
                        ill = self.rng.randint(*ILLNESS_DAYS)
                    for lesson_pk, teacher_pk, taken in held:
                        if ill:
                            code: str | None = "б"
                        else:
                            roll = random_()
                            code = None if roll >= SINGLE_TOTAL else self.single(roll)
                        if code is None:
                            continue
                        minutes = None
                        if code == "оп":
                            minutes = self.rng.randint(3, 20)
                        else:
                            absent[lesson_pk].add(student_pk)
                        rows.append(
                            (
                                school,
                                lesson_pk,
                                student_pk,
                                code_pk[code],
                                minutes,
                                teacher_pk,
                                taken,
                            )
                        )
                    ill = max(0, ill - 1)
        self.writer.write(Absence, ABSENCE_COLUMNS, rows)
        return absent

    def single(self, roll: float) -> str | None:
        """A one-lesson absence code for a roll of the dice in [0, 1), or None (present)."""
        for code, chance in SINGLE_ABSENCES:
            if roll < chance:
                return code
            roll -= chance
        return None

    def marks(
        self,
        past: list[_Lesson],
        kinds: dict[str, MarkKind],
        ability: dict[int, float],
        absent: dict[int, set[int]],
    ) -> None:
        """About MARKS_PER_WEEK marks a student a week; written works mark the whole class."""
        chance = self.mark_chances()
        rows, school, random_ = [], self.school.pk, self.rng.random
        pupil_pks = {c: [s.pk for s in pupils] for c, pupils in self.rows.pupils.items()}
        for lesson in past:
            course = lesson.course
            if course.assessment == AssessmentMode.NONE or not course.school_class_id:
                continue
            if lesson.row.attendance_taken_at is None:
                continue
            written = self.whole_class(lesson)
            kind = kinds[self.work_kind(lesson)] if written else None
            row, teacher, entered = lesson.row.pk, lesson.teacher.pk, lesson.row.attendance_taken_at
            away = absent.get(row, ())
            class_chance = chance[course.school_class_id]
            for student_pk in pupil_pks[course.school_class_id]:
                if student_pk in away:
                    continue
                if not written and random_() >= class_chance:
                    continue
                rows.append(
                    (
                        school,
                        row,
                        student_pk,
                        self.value(course, ability[student_pk], written),
                        (kind or kinds[self.oral_kind()]).pk,
                        teacher,
                        entered,
                        entered,
                    )
                )
        self.writer.write(Mark, MARK_COLUMNS, rows)

    def mark_chances(self) -> dict[int, float]:
        """Per class: the chance of an oral mark per student-lesson that, with the written works
        of the whole class, gives about MARKS_PER_WEEK marks a week (absences and lessons left
        unfilled taken into account)."""
        graded: dict[int, float] = defaultdict(float)
        written: dict[int, float] = defaultdict(float)
        for course, _t in self.rows.courses:
            if course.school_class_id and course.assessment != AssessmentMode.NONE:
                hours = float(course.hours_per_week)
                graded[course.school_class_id] += hours
                if course.subject.name not in data.NO_HOMEWORK:
                    written[course.school_class_id] += hours / WHOLE_CLASS_EVERY
        present = (1 - ABSENT_SHARE) * (1 - MISSING_SHARE)
        return {
            c: max(0.05, (MARKS_PER_WEEK / present - written[c]) / (graded[c] - written[c]))
            for c in graded
        }

    def work_kind(self, lesson: _Lesson) -> str:
        """The kind of a whole-class work from the КТП's work kind or the topic."""
        planned = lesson.row.planned_topic
        if planned is not None:
            return {data.DICTATION: "Диктант", data.TEST_WORK: "Проверочная работа"}.get(
                planned.work_kind, "Контрольная работа"
            )
        return (
            "Контрольная работа"
            if lesson.row.topic == data.CONTROL_TOPIC
            else "Самостоятельная работа"
        )

    def oral_kind(self) -> str:
        """Mostly an answer in class, sometimes homework or a practical work."""
        roll = self.rng.random()
        if roll < 0.8:
            return "Ответ на уроке"
        return "Домашняя работа" if roll < 0.92 else "Практическая работа"

    def value(self, course: Course, ability: float, written: bool) -> str:
        """A mark of the course's scale around the student's usual one."""
        if course.assessment == AssessmentMode.PASS_FAIL:
            return "зач" if self.rng.random() < 0.2 + ability / 5 else "незач"
        low = 1 if course.assessment == AssessmentMode.POINTS_1_5 else 2
        mean = ability + data.DIFFICULTY.get(course.subject.name, 0) - (0.2 if written else 0)
        return str(min(5, max(low, round(self.rng.gauss(mean, 0.9 if written else 0.7)))))

    def substitutions(self, past: list[_Lesson]) -> None:
        """A few past lessons taught by another teacher of the same subject who was free."""
        teachers_of: dict[int, set[int]] = defaultdict(set)
        users = {}
        for course, teacher in self.rows.courses:
            if course.kind == CourseKind.LESSON:
                teachers_of[course.subject_id].add(teacher.pk)
                users[teacher.pk] = teacher
        candidates = [x for x in past if x.course.kind == CourseKind.LESSON]
        self.rng.shuffle(candidates)
        rows = []
        for lesson in candidates:
            others = sorted(teachers_of[lesson.course.subject_id] - {lesson.teacher.pk})
            free = [
                t for t in others if (t, lesson.weekday, lesson.row.bell_number) not in self.busy
            ]
            if not free:
                continue
            rows.append(
                Substitution(
                    school=self.school,
                    lesson=lesson.row,
                    substitute=users[self.rng.choice(free)],
                    absent_teacher=lesson.teacher,
                    reason=self.rng.choice(data.SUBSTITUTION_REASONS),
                    created_by=self.deputy,
                )
            )
            if len(rows) == SUBSTITUTIONS:
                break
        Substitution.objects.bulk_create(rows)
