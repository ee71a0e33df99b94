"""Demo data for the diary and the homeroom teacher's class pages: homework files in the demo
family's classes, a student at risk of not being attested (≥ 30 % of a subject's lessons
missed) and a student whose guardians left no phone in the demo homeroom class.

Written in bulk around the services, like the rest of the demo (no audit events per row)."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from otmetka.accounts.models import User
from otmetka.demo.selectors import demo_users
from otmetka.diary.models import DiaryViewDay, DiaryVisit
from otmetka.journal.models import Absence, AbsenceCode, HomeworkFile, Lesson, Mark
from otmetka.people.models import Guardian, Student
from otmetka.school.models import Enrollment, Period, School, SchoolClass

HOMEWORK_TEXT = (
    "Задания для самостоятельной работы\n\n"
    "1. Прочитайте параграф учебника и ответьте на вопросы в конце параграфа.\n"
    "2. Решите задачи из карточки (вариант по номеру в журнале).\n"
)


def diary_demo_add(*, school: School, today: datetime.date) -> dict[str, int]:
    """Add the diary's demo data to the demo school; returns what was written."""
    users = demo_users(school=school)
    files = _homework_files(school, users.get("guardian"), today)
    homeroom = SchoolClass.objects.filter(school=school, homeroom_teacher=users.get("homeroom"))
    school_class = homeroom.order_by("grade", "letter").first()
    at_risk = missing = 0
    if school_class is not None:
        keep = users.get("student")
        at_risk = _student_at_risk(school_class, keep, today)
        missing = _student_without_contact(school_class, keep)
    new = _recent_entries(school, users.get("guardian"))
    views = _view_days(school, today)
    return {"files": files, "absences": at_risk, "missing": missing, "new": new, "views": views}


NEW_DAYS = 2  # the demo parent last opened the diary two days ago: what came since is "new"


def _recent_entries(school: School, guardian: User | None) -> int:
    """The demo parent's last visit two days ago: their children's marks and absences of older
    lessons are dated before it (the generator writes them all "now"), so the week shows the
    last two days' entries as new. Returns how many entries are new."""
    if guardian is None:
        return 0
    now = timezone.now()
    visit = now - datetime.timedelta(days=NEW_DAYS)
    cutoff = timezone.localdate(visit)
    children = list(
        Guardian.objects.filter(school=school, user=guardian).values_list("student_id", flat=True)
    )
    older = now - datetime.timedelta(days=NEW_DAYS + 1)
    for model in (Mark, Absence):
        model.objects.filter(student__in=children, lesson__date__lt=cutoff).update(created_at=older)
    DiaryVisit.objects.bulk_create(
        [DiaryVisit(user=guardian, student_id=c, seen_at=visit, new_since=visit) for c in children],
        ignore_conflicts=True,
    )
    recent = {"student__in": children, "lesson__date__gte": cutoff}
    return Mark.objects.filter(**recent).count() + Absence.objects.filter(**recent).count()


def _view_days(school: School, today: datetime.date) -> int:
    """Two weeks of guardians' diary views for the homeroom teacher's and deputy's figures:
    about half the school's guardians a school day, fewer at weekends (deterministic)."""
    guardians = Guardian.objects.filter(school=school).values("user_id").distinct().count()
    rows = []
    for n in range(1, 15):
        day = today - datetime.timedelta(days=n)
        share = 0.15 if day.weekday() >= 5 else 0.45 + 0.05 * (n % 3)
        rows.append(DiaryViewDay(school=school, day=day, views=round(guardians * share)))
    DiaryViewDay.objects.bulk_create(rows, ignore_conflicts=True)
    return sum(r.views for r in rows)


def _homework_files(school: School, guardian: User | None, today: datetime.date) -> int:
    """A file on the last homework before today of every class of the demo parent's children."""
    children = Guardian.objects.filter(school=school, user=guardian).values("student_id")
    classes = Enrollment.objects.filter(student__in=children).values("school_class_id")
    made = 0
    for class_id in sorted(set(classes.values_list("school_class_id", flat=True))):
        lesson = (
            Lesson.objects.filter(school=school, course__school_class_id=class_id, date__lt=today)
            .exclude(homework="")
            .select_related("course")
            .order_by("-date", "-bell_number")
            .first()
        )
        teacher = lesson.course.teachers.order_by("pk").first() if lesson else None
        if lesson is None or teacher is None:
            continue
        content = HOMEWORK_TEXT.encode()
        upload = HomeworkFile(
            school=school, lesson=lesson, name="задание.txt", size=len(content), uploaded_by=teacher
        )
        upload.file.save("zadanie.txt", ContentFile(content), save=True)
        made += 1
    return made


def _student_at_risk(school_class: SchoolClass, keep: User | None, today: datetime.date) -> int:
    """Absences («б») of one student at every lesson held so far this period of one course (but
    those where the student has a mark: a mark means they were there)."""
    student = _pick(school_class, keep, offset=1)
    period = Period.objects.filter(
        year_id=school_class.year_id, scheme=school_class.period_scheme, start__lte=today
    ).order_by("-start")
    current = period.first()
    code = AbsenceCode.objects.filter(school=school_class.school_id, code="б").first()
    course = school_class.courses.filter(name="").order_by("subject__position").first()
    if student is None or current is None or code is None or course is None:
        return 0
    lessons = Lesson.objects.filter(
        course=course, date__range=(current.start, today - datetime.timedelta(days=1))
    ).exclude(status=Lesson.Status.CANCELLED)
    taken = Absence.objects.filter(student=student, lesson__in=lessons).values("lesson_id")
    marked = Mark.objects.filter(student=student, lesson__in=lessons).values("lesson_id")
    author = course.teachers.order_by("pk").first() or school_class.homeroom_teacher
    new = [
        Absence(
            school_id=school_class.school_id,
            lesson=lesson,
            student=student,
            code=code,
            created_by=author,
        )
        for lesson in lessons.exclude(pk__in=taken).exclude(pk__in=marked)
    ]
    Absence.objects.bulk_create(new)
    return len(new)


def _student_without_contact(school_class: SchoolClass, keep: User | None) -> int:
    """One student of the class whose guardians left no phone (the class page flags it)."""
    student = _pick(school_class, keep, offset=2)
    if student is None:
        return 0
    return Guardian.objects.filter(student=student).update(phone="")


def _pick(school_class: SchoolClass, keep: User | None, *, offset: int) -> Student | None:
    """The class's n-th student by name, never the demo student's account."""
    students = Student.objects.filter(enrollments__school_class=school_class).order_by(
        "last_name", "first_name", "pk"
    )
    if keep is not None:
        students = students.exclude(user=keep)
    return students[offset : offset + 1].first()
