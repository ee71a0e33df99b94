"""factory_boy factories for the main models: a row with everything it needs, built from real
rows (`SchoolFactory()` brings its district and region, `EnrollmentFactory()` its student and
class of the same school). Tests name only what they are about."""

import datetime
from decimal import Decimal

import factory

from otmetka.access.models import RoleMembership
from otmetka.accounts.models import User
from otmetka.curriculum.models import Course, CourseMember, Subject, TimetableSlot
from otmetka.journal.models import AbsenceCode, MarkKind
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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "Иванова"
    first_name = "Анна"
    password = factory.django.Password("Otmetka-test-2026")


class RoleMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleMembership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = "teacher"


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    school = factory.SubFactory(SchoolFactory)
    user = factory.SubFactory(UserFactory)
    position = "учитель"


class AcademicYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcademicYear

    school = factory.SubFactory(SchoolFactory)
    name = "2026/2027"
    start = datetime.date(2026, 9, 1)
    end = datetime.date(2027, 5, 26)


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    year = factory.SubFactory(AcademicYearFactory)
    school = factory.SelfAttribute("year.school")
    grade = 7
    letter = factory.Iterator(["А", "Б", "В", "Г"])
    period_scheme = PeriodScheme.QUARTERS


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.SubFactory(SchoolFactory)
    last_name = factory.Sequence(lambda n: f"Ученик{n}")
    first_name = "Иван"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.SelfAttribute("school_class.school")
    student = factory.SubFactory(StudentFactory, school=factory.SelfAttribute("..school"))
    start = datetime.date(2026, 9, 1)
    end = None


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Предмет {n}")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.SelfAttribute("school_class.school")
    year = factory.SelfAttribute("school_class.year")
    subject = factory.SubFactory(SubjectFactory, school=factory.SelfAttribute("..school"))


class CourseMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseMember

    course = factory.SubFactory(CourseFactory)
    school = factory.SelfAttribute("course.school")
    student = factory.SubFactory(StudentFactory, school=factory.SelfAttribute("..school"))
    start = datetime.date(2026, 9, 1)


class BellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bell

    school = factory.SubFactory(SchoolFactory)
    number = factory.Sequence(lambda n: n % 12 + 1)
    start = datetime.time(8, 30)
    end = datetime.time(9, 10)


class TimetableSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimetableSlot

    course = factory.SubFactory(CourseFactory)
    school = factory.SelfAttribute("course.school")
    bell = factory.SubFactory(BellFactory, school=factory.SelfAttribute("..school"))
    weekday = 0
    valid_from = datetime.date(2026, 9, 1)


class MarkKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarkKind

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Работа {n}")
    weight = Decimal("1")


class AbsenceCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AbsenceCode

    school = factory.SubFactory(SchoolFactory)
    code = factory.Sequence(lambda n: "нбуп"[n % 4] * (n // 4 % 3 + 1))
    name = "Отсутствовал"
    reason = AbsenceCode.Reason.UNKNOWN
