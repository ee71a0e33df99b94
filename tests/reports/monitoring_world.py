"""A synthetic school with known answers for every monitoring metric, on top of the shared world
(today is Wed 18.11.2026; the range is Mon 09.11 – Fri 20.11, so lessons count as held up to
18.11):

* 7А maths (Числов): 10 lessons, 8 held: 6 with a topic, 4 with attendance, 2 with homework;
  the 12.11 lesson is a control work with a mark, the 19.11 one a control work to come (2
  оценочные процедуры of 10 lessons: over the 10 % limit of 1); a cancelled lesson on 11.11;
  КТП hours dated up to 18.11: 8 (one topic of 2 hours) → lag 8 − 6 = 2.
* 7Б Russian (Буквина): 5 held lessons (two on 16.11), everything entered; homework minutes
  60 on 11.11 and 80 + 90 = 170 on 16.11 (over 7th grade's 150); no КТП dates.
* 7А Russian (Классная): 2 held lessons, nothing entered (an inactive teacher); 12.11 is a
  control work without marks, so 7А has two procedures that day.
* Logins: the 7А pupil last logged in on 10.11, the 7Б pupil on 01.11 (before the range), the
  7А guardian on 17.11.
* The other school has a lesson with a topic in the range (must not count anywhere).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from otmetka.curriculum.models import Course, PlannedTopic, Subject, ThematicPlan
from otmetka.journal.defaults import journal_defaults_ensure
from otmetka.journal.models import Lesson, Mark, MarkKind
from tests.factories import LessonFactory
from tests.world import World

START, END = datetime.date(2026, 11, 9), datetime.date(2026, 11, 20)
QUERY = f"start={START.isoformat()}&end={END.isoformat()}"
D = datetime.date


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@dataclass
class MonitoringWorld:
    world: World
    russian_7a: Course
    control: Lesson


def _plan(course: Course, hours: list[tuple[datetime.date, int, bool]]) -> list[PlannedTopic]:
    plan = ThematicPlan.objects.create(school=course.school, course=course)
    return [
        PlannedTopic.objects.create(
            school=course.school,
            plan=plan,
            position=n,
            title=f"Тема {n}",
            hours=h,
            planned_date=day,
            is_control=control,
            work_kind="Контрольная работа" if control else "",
        )
        for n, (day, h, control) in enumerate(hours, start=1)
    ]


def _maths(w: World) -> Lesson:
    course = w.course_7a_math
    days = [D(2026, 11, d) for d in (9, 10, 11, 12, 13, 16, 17, 18, 19, 20)]
    topics = _plan(
        course, [(D(2026, 11, 9), 2, False)] + [(d, 1, d.day in (12, 19)) for d in days[2:]]
    )
    lessons = []
    for i, day in enumerate(days):
        topic = topics[max(0, i - 1)] if day.day in (12, 19) else None
        lesson = LessonFactory(course=course, date=day, planned_topic=topic)
        if i < 6:
            lesson.topic, lesson.topic_entered_at = f"Тема урока {i}", at(day)
        if i < 4:
            lesson.attendance_taken_at = at(day)
        if i < 2:
            lesson.homework, lesson.homework_entered_at = "§ 5", at(day)
        lesson.save()
        lessons.append(lesson)
    LessonFactory(
        course=course,
        date=D(2026, 11, 11),
        bell_number=5,
        status=Lesson.Status.CANCELLED,
        topic="Отменён",
    )
    control = lessons[3]
    kind = MarkKind.objects.get(school=w.school, name="Контрольная работа")
    Mark.objects.create(
        school=w.school,
        lesson=control,
        student=w.pupil_7a,
        value="4",
        kind=kind,
        created_by=w.user("teacher_7a_math"),
    )
    return control


def _russian_7b(w: World) -> None:
    rows = [
        (D(2026, 11, 9), 1, None),
        (D(2026, 11, 11), 1, 60),
        (D(2026, 11, 16), 1, 80),
        (D(2026, 11, 16), 2, 90),
        (D(2026, 11, 18), 1, None),
    ]
    for day, bell, minutes in rows:
        LessonFactory(
            course=w.course_7b_russian,
            date=day,
            bell_number=bell,
            topic="Диктант",
            attendance_taken_at=at(day),
            homework="Упр. 5",
            homework_minutes=minutes,
        )


def _russian_7a(w: World) -> Course:
    russian = Subject.objects.get(school=w.school, name="Русский язык")
    course = Course.objects.create(
        school=w.school, year=w.year, subject=russian, school_class=w.class_7a
    )
    course.teachers.add(w.user("homeroom_7a"))
    (control,) = _plan(course, [(D(2026, 11, 12), 1, True)])
    LessonFactory(course=course, date=D(2026, 11, 12), bell_number=3, planned_topic=control)
    LessonFactory(course=course, date=D(2026, 11, 13), bell_number=3)
    return course


def _diary(w: World) -> None:
    """The last logins (what the accounts keep): the 7А pupil on 10.11, the 7Б pupil on 01.11
    (before the range), the 7А guardian on 17.11."""
    for persona, day in (("student_7a", 10), ("student_7b", 1), ("guardian_7a", 17)):
        user = w.user(persona)
        user.last_login = at(D(2026, 11, day))
        user.save(update_fields=["last_login"])


def build_monitoring(w: World) -> MonitoringWorld:
    """The synthetic school of this module's docstring."""
    journal_defaults_ensure(school=w.school)
    control = _maths(w)
    _russian_7b(w)
    course = _russian_7a(w)
    _diary(w)
    other = Course.objects.get(school=w.other_school)
    LessonFactory(
        course=other,
        date=D(2026, 11, 10),
        topic="Чужая тема",
        attendance_taken_at=at(D(2026, 11, 10)),
    )
    return MonitoringWorld(w, course, control)
