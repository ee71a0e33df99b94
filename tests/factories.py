"""factory_boy factories for the main models: a row with everything it needs, built from real
rows (`SchoolFactory()` brings its district and region, `EnrollmentFactory()` its student and
class of the same school). Tests name only what they are about."""

import datetime
from decimal import Decimal

import factory

from otmetka.access.models import RoleMembership
from otmetka.accounts.models import User
from otmetka.curriculum.models import Course, CourseMember, Subject, TimetableSlot
from otmetka.grading.models import AcademicDebt, ConditionalTransfer
from otmetka.journal.models import AbsenceCode, Lesson, MarkKind
from otmetka.people.models import Staff, Student
from otmetka.school.models import (
    AcademicYear,
    Bell,
    District,
    Enrollment,
    PeriodScheme,
    Region,
    School,
    SchoolClass,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = "Республика Крым"
    code = "91"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("region", "name")

    region = factory.SubFactory(RegionFactory)
    name = "Сакский район"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"МБОУ «Школа № {n + 1}»")
    short_name = factory.Sequence(lambda n: f"Школа № {n + 1}")


class SchoolRowFactory(factory.django.DjangoModelFactory):
    """A row of a school: a new school of its own unless one is given."""

    class Meta:
        abstract = True

    school = factory.SubFactory(SchoolFactory)


def school_of(parent: str) -> factory.SelfAttribute:
    """The school of the row's `parent` (its class, course...): one school for the whole row."""
    return factory.SelfAttribute(f"{parent}.school")


def in_school(row_factory: type[factory.Factory]) -> factory.SubFactory:
    """A new related row (a student, a subject, a bell) in the same school as this one."""
    return factory.SubFactory(row_factory, school=factory.SelfAttribute("..school"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "Иванова"
    first_name = "Анна"
    password = factory.django.Password("Otmetka-test-2026")


class RoleMembershipFactory(SchoolRowFactory):
    class Meta:
        model = RoleMembership

    user = factory.SubFactory(UserFactory)
    role = "teacher"


class StaffFactory(SchoolRowFactory):
    class Meta:
        model = Staff

    user = factory.SubFactory(UserFactory)
    position = "учитель"


class AcademicYearFactory(SchoolRowFactory):
    class Meta:
        model = AcademicYear

    name = "2026/2027"
    start = datetime.date(2026, 9, 1)
    end = datetime.date(2027, 5, 26)


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    year = factory.SubFactory(AcademicYearFactory)
    school = school_of("year")
    grade = 7
    letter = factory.Iterator(["А", "Б", "В", "Г"])
    period_scheme = PeriodScheme.QUARTERS


class StudentFactory(SchoolRowFactory):
    class Meta:
        model = Student

    last_name = factory.Sequence(lambda n: f"Ученик{n}")
    first_name = "Иван"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    school_class = factory.SubFactory(SchoolClassFactory)
    school = school_of("school_class")
    student = in_school(StudentFactory)
    start = datetime.date(2026, 9, 1)
    end = None


class SubjectFactory(SchoolRowFactory):
    class Meta:
        model = Subject

    name = factory.Sequence(lambda n: f"Предмет {n}")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    school_class = factory.SubFactory(SchoolClassFactory)
    school = school_of("school_class")
    year = factory.SelfAttribute("school_class.year")
    subject = in_school(SubjectFactory)


class CourseMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseMember

    course = factory.SubFactory(CourseFactory)
    school = school_of("course")
    student = in_school(StudentFactory)
    start = datetime.date(2026, 9, 1)


class BellFactory(SchoolRowFactory):
    class Meta:
        model = Bell

    number = factory.Sequence(lambda n: n % 12 + 1)
    start = datetime.time(8, 30)
    end = datetime.time(9, 10)


class TimetableSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimetableSlot

    course = factory.SubFactory(CourseFactory)
    school = school_of("course")
    bell = in_school(BellFactory)
    weekday = 0
    valid_from = datetime.date(2026, 9, 1)


class MarkKindFactory(SchoolRowFactory):
    class Meta:
        model = MarkKind

    name = factory.Sequence(lambda n: f"Работа {n}")
    weight = Decimal("1")


class AbsenceCodeFactory(SchoolRowFactory):
    class Meta:
        model = AbsenceCode

    code = factory.Sequence(lambda n: "нбуп"[n % 4] * (n // 4 % 3 + 1))
    name = "Отсутствовал"
    reason = AbsenceCode.Reason.UNKNOWN


class AcademicDebtFactory(factory.django.DjangoModelFactory):
    """An open debt of a year «2» (pass `student`, `course`, `created_by`)."""

    class Meta:
        model = AcademicDebt

    school = school_of("course")
    year = factory.SelfAttribute("course.year")
    value = "2"
    arose_on = datetime.date(2027, 5, 25)


class ConditionalTransferFactory(factory.django.DjangoModelFactory):
    """A conditional transfer by order (pass `student`, `year`, `created_by`)."""

    class Meta:
        model = ConditionalTransfer

    school = factory.SelfAttribute("student.school")
    order_number = factory.Sequence(lambda n: f"{100 + n}-у")
    order_date = datetime.date(2027, 5, 28)


class LessonFactory(factory.django.DjangoModelFactory):
    """A lesson of a course (pass `course` and `date`; nothing entered yet)."""

    class Meta:
        model = Lesson

    school = school_of("course")
    bell_number = 1
