"""Lessons, КТП and half a term of journal data of a generated school: topics, homework,
attendance, marks, absences and a few substitutions."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from otmetka.accounts.models import User
from otmetka.curriculum.models import AssessmentMode, Course, CourseKind, PlannedTopic, ThematicPlan
from otmetka.demo import data
from otmetka.demo.compliance import compliance_demo_add
from otmetka.demo.generator.timetable import Timetable
from otmetka.demo.grading import period_marks_generate
from otmetka.journal.defaults import journal_defaults_ensure
from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark, MarkKind, Substitution
from otmetka.journal.schedule import lessons_planned

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
class GeneratedLesson:
    """A generated lesson with what the journal data needs to know about it."""

    row: Lesson
    course: Course
    teacher: User
    weekday: int
    index: int  # the lesson's number within its course, from 0


class Journal(Timetable):
    """The timetable (`Timetable`), lessons, КТП and half a term of journal data of one school."""

    def build(self, *, rollups: bool = True) -> None:
        """Everything, in order: the data of each step feeds the next (the rollups last, unless
        the caller computes them itself)."""
        bells = self.bells()
        self.timetable(bells)
        journal_defaults_ensure(school=self.school)
        lessons = self.lessons()
        topics = self.plans(lessons)
        self.journal(lessons, topics)
        period_marks_generate(school=self.school, today=self.today, writer=self.writer,
                              rng=self.rng)  # fmt: skip
        compliance_demo_add(school=self.school, today=self.today, rollups=rollups)

    # lessons and КТП

    def lessons(self) -> list[GeneratedLesson]:
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
                GeneratedLesson(
                    row, course, self.teacher_of[course.pk], row.date.weekday(), index[course.pk]
                )
            )
            index[course.pk] += 1
        return result

    def plans(self, lessons: list[GeneratedLesson]) -> dict[int, PlannedTopic]:
        """КТП of the courses the data has topics for; lesson pk → its planned topic in order."""
        by_course: dict[int, list[GeneratedLesson]] = defaultdict(list)
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

    def journal(self, lessons: list[GeneratedLesson], planned: dict[int, PlannedTopic]) -> None:
        """Topics, homework, attendance, marks and absences of the lessons before today."""
        kinds = {k.name: k for k in MarkKind.objects.filter(school=self.school)}
        codes = {c.code: c for c in AbsenceCode.objects.filter(school=self.school)}
        ability = self.abilities()
        past = [x for x in lessons if x.row.date < self.today]
        by_class_day: dict[tuple[int, datetime.date], list[GeneratedLesson]] = defaultdict(list)
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

    def fill(self, lesson: GeneratedLesson) -> None:
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

    def topic(self, lesson: GeneratedLesson) -> str:
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

    def whole_class(self, lesson: GeneratedLesson) -> bool:
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
        by_class_day: dict[tuple[int, datetime.date], list[GeneratedLesson]],
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
        past: list[GeneratedLesson],
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

    def work_kind(self, lesson: GeneratedLesson) -> str:
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

    def substitutions(self, past: list[GeneratedLesson]) -> None:
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
