"""Bells, rooms and the timetable of a generated school (no teacher or class in two places)."""

import datetime
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from otmetka.access.models import Role
from otmetka.curriculum.models import Course, TimetableSlot
from otmetka.demo import data
from otmetka.demo.bulk import BulkWriter
from otmetka.demo.generator.rows import SchoolRows
from otmetka.school.models import Bell, SchoolClass


class Timetable:
    """Bells, rooms and the timetable of one school: the teachers and classes taken at each bell
    (`busy`, `class_busy`) are what the journal's substitutions check later."""

    def __init__(
        self, rows: SchoolRows, rng: random.Random, today: datetime.date, writer: BulkWriter
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
