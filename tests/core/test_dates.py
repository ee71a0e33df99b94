"""`active_on(day)`: a row with a start/end span is active from its start to its end, both days
included; an empty end never ends. The same for every model with a span."""

import datetime

import pytest

from otmetka.core.dates import active_on
from otmetka.curriculum.models import CourseMember, TimetableSlot
from otmetka.school.models import Enrollment, SchoolClass
from tests.factories import CourseMemberFactory, EnrollmentFactory, TimetableSlotFactory

SEP1, OCT31, NOV1 = (
    datetime.date(2026, 9, 1),
    datetime.date(2026, 10, 31),
    datetime.date(2026, 11, 1),
)

pytestmark = pytest.mark.django_db


def test_an_enrollment_is_active_from_its_start_to_its_end_both_days_included() -> None:
    left = EnrollmentFactory(start=SEP1, end=OCT31)
    stays = EnrollmentFactory(start=SEP1, school_class=left.school_class)
    active = Enrollment.objects.active_on
    assert set(active(SEP1)) == {left, stays}
    assert set(active(OCT31)) == {left, stays}
    assert set(active(NOV1)) == {stays}
    assert set(active(SEP1 - datetime.timedelta(days=1))) == set()


def test_active_during_meets_any_day_of_the_range_and_not_ended_ignores_the_start() -> None:
    left = EnrollmentFactory(start=SEP1, end=OCT31)
    later = EnrollmentFactory(start=NOV1, school_class=left.school_class)
    assert set(Enrollment.objects.active_during(OCT31, NOV1)) == {left, later}
    assert set(Enrollment.objects.active_during(NOV1, NOV1)) == {later}
    assert set(Enrollment.objects.not_ended(NOV1)) == {later}
    assert set(Enrollment.objects.not_ended(SEP1)) == {left, later}


def test_group_members_and_timetable_slots_have_the_same_rule_over_their_own_fields() -> None:
    member = CourseMemberFactory(start=SEP1, end=OCT31)
    slot = TimetableSlotFactory(valid_from=SEP1, valid_to=OCT31)
    assert list(CourseMember.objects.active_on(OCT31)) == [member]
    assert list(CourseMember.objects.active_on(NOV1)) == []
    assert list(TimetableSlot.objects.active_on(OCT31)) == [slot]
    assert list(TimetableSlot.objects.active_on(NOV1)) == []


def test_the_q_through_a_relation_finds_the_classes_with_a_current_student() -> None:
    gone = EnrollmentFactory(start=SEP1, end=OCT31)
    here = EnrollmentFactory(start=SEP1, school_class__year=gone.school_class.year)
    current = SchoolClass.objects.filter(active_on(NOV1, prefix="enrollments__"))
    assert list(current) == [here.school_class]
