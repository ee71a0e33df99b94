"""The endpoint registry: every route of the table, and the status each persona must get.

`tests/access/test_endpoint_table.py` reads it. `ROUTES` says how to request each endpoint (method, URL
and body, built from the world: `route` for a fixed URL, `object_route` for one row's URL); `STATUSES` is the table itself, one row an endpoint, one column a
persona of `tests.world.PERSONAS` (abbreviated, see `COLUMNS`) and `anon` for the anonymous visitor.
A row that forgets a column, a route without a row or a row without a route fails the table test
(fail-closed); a route of the URL map without an endpoint fails `test_every_route_has_a_row`.

Statuses: 200 page, 302 redirect (anonymous → login, or after a successful POST), 400/401 API
refusals, 403 readable but not writable, 404 missing or forbidden, 405 wrong method.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.world import World

Persona = str | None

# Columns of STATUSES → personas of the world (None: the anonymous visitor).
COLUMNS: dict[str, Persona] = {
    "anon": None,
    "admin": "admin",
    "deputy": "deputy",
    "dir": "director",
    "secr": "secretary",
    "nurse": "nurse",
    "web": "web_editor",
    "t7a": "teacher_7a_math",
    "t7b": "teacher_7b",
    "hr7a": "homeroom_7a",
    "s7a": "student_7a",
    "s7b": "student_7b",
    "g7a": "guardian_7a",
    "tother": "teacher_other_school",
    "region": "region_viewer",
    "outs": "outsider",
}


@dataclass(frozen=True)
class Route:
    """How to request one endpoint of the table."""

    method: str
    url: Callable[[World], str]
    data: Callable[[World], dict | None]
    json: bool = False  # the body goes as JSON (the API), not as a form


def no_data(world: World) -> None:
    """Requests without a body or query."""
    return None


def route(method: str, path: str, data: Callable[[World], dict | None] = no_data) -> Route:
    """A fixed URL."""
    return Route(method, lambda w: path, data)


def object_route(
    method: str,
    path: str,
    obj: str | Callable[[World], Any],
    data: Callable[[World], dict | None] = no_data,
    *,
    json: bool = False,
) -> Route:
    """The URL of one object: `obj` is an attribute of the world ("course_7a_math") or a function
    of it that returns the row; `path` has `{pk}` for the row's id and may name more of the world
    (`"/curriculum/ktp/{w.course_7a_math.pk}/topic/{pk}/"`)."""
    row = (lambda w: getattr(w, obj)) if isinstance(obj, str) else obj
    return Route(method, lambda w: path.format(pk=row(w).pk, w=w), data, json)


ROUTES: dict[str, Route] = {}


ROUTES |= {
    # An outsider is logged in but has no school: the page says so (200).
    "home": route("get", "/"),
    # Switching redirects home; a school that is not the user's is 404.
    "school switch to school 1": route(
        "post", "/school/switch/", lambda w: {"school": w.school.pk}
    ),
    "school switch to the other school": route(
        "post", "/school/switch/", lambda w: {"school": w.other_school.pk}
    ),
    "school switch by GET": route("get", "/school/switch/"),
    "password change page": route("get", "/accounts/password/"),
    "logout": route("post", "/accounts/logout/"),
}


# --- school setup pages (setup/…, people actions) --------------------------------------------
# Teachers, the region viewer and a teacher of another school READ the school's reference data
# (SCHOOL_GRANTS), so its create/edit pages are 403 for them, not 404; objects of school №1 are
# 404 to the region viewer and the other school's teacher, whose current school is school №2.
def _period(w: World) -> object:
    from otmetka.school.models import Period

    return Period.objects.filter(year=w.year).order_by("number").first()


def _vacation(w: World) -> object:
    import datetime

    from otmetka.school.models import Vacation

    vacation, _ = Vacation.objects.get_or_create(
        school=w.school,
        year=w.year,
        name="Осенние каникулы",
        start=datetime.date(2026, 10, 24),
        end=datetime.date(2026, 11, 4),
    )
    return vacation


def _override(w: World) -> object:
    import datetime

    from otmetka.school.models import CalendarOverride, DayKind

    override, _ = CalendarOverride.objects.get_or_create(
        school=w.school,
        date=datetime.date(2027, 3, 31),
        kind=DayKind.DAY_OFF,
        reason="Указ Главы Республики Крым",
    )
    return override


def _staff(w: World) -> object:
    return w.user("teacher_7b").staff_records.get(school=w.school)


ROUTES |= {
    "setup index": route("get", "/setup/"),
    "setup list of year": route("get", "/setup/year/"),
    "setup new academic year page": route("get", "/setup/year/new/"),
    "setup edit academic year page": object_route("get", "/setup/year/{pk}/", "year"),
    "setup list of period": route("get", "/setup/period/"),
    "setup new period page": route("get", "/setup/period/new/"),
    "setup edit period page": object_route("get", "/setup/period/{pk}/", _period),
    "setup list of vacation": route("get", "/setup/vacation/"),
    "setup new vacation page": route("get", "/setup/vacation/new/"),
    "setup edit vacation page": object_route("get", "/setup/vacation/{pk}/", _vacation),
    "setup list of calendar": route("get", "/setup/calendar/"),
    "setup new calendar change page": route("get", "/setup/calendar/new/"),
    "setup edit calendar change page": object_route("get", "/setup/calendar/{pk}/", _override),
    "setup list of class": route("get", "/setup/class/"),
    "setup new class page": route("get", "/setup/class/new/"),
    "setup edit class page": object_route("get", "/setup/class/{pk}/", "class_7b"),
    "setup list of subject": route("get", "/setup/subject/"),
    "setup new subject page": route("get", "/setup/subject/new/"),
    "setup edit subject page": object_route("get", "/setup/subject/{pk}/", "math"),
    "setup list of staff": route("get", "/setup/staff/"),
    "setup new staff member page": route("get", "/setup/staff/new/"),
    "setup edit staff member page": object_route("get", "/setup/staff/{pk}/", _staff),
    "setup list of student": route("get", "/setup/student/"),
    "setup new student page": route("get", "/setup/student/new/"),
    "setup edit student page": object_route("get", "/setup/student/{pk}/", "pupil_7b"),
    "setup list of guardian": route("get", "/setup/guardian/"),
    "setup new guardian page": route("get", "/setup/guardian/new/"),
    "setup edit guardian page": object_route("get", "/setup/guardian/{pk}/", "guardian_link"),
    "student transfer page": object_route("get", "/setup/student/{pk}/transfer/", "pupil_7b"),
    "student depart page": object_route("get", "/setup/student/{pk}/depart/", "pupil_7b"),
    "student login page": object_route("get", "/setup/student/{pk}/login/", "pupil_7b"),
    "new password page for a staff member": object_route(
        "get", "/setup/staff/{pk}/password/", _staff
    ),
    "new password page for a student": object_route(
        "get", "/setup/student/{pk}/password/", "pupil_7b"
    ),
    "new password page for a guardian": object_route(
        "get", "/setup/guardian/{pk}/password/", "guardian_link"
    ),
    "КТП page of a course": object_route("get", "/curriculum/ktp/{pk}/", "course_7a_math"),
    "КТП print view": object_route("get", "/curriculum/ktp/{pk}/print/", "course_7a_math"),
    "КТП import, empty form": object_route(
        "post", "/curriculum/ktp/{pk}/import/", "course_7a_math", lambda w: {}
    ),
    "КТП add topic, empty form": object_route(
        "post",
        "/curriculum/ktp/{pk}/topic/add/",
        "course_7a_math",
        lambda w: {"title": ""},
    ),
    "КТП copy-from page": object_route("get", "/curriculum/ktp/{pk}/copy/", "course_7a_math"),
}


# --- journal API v1 (api/v1/…): JSON for the grid; anonymous gets 401 (no login redirect) ----
def _journal_lesson(w: World) -> object:
    from otmetka.journal.models import Lesson
    from tests.journal.helpers import TODAY

    lesson, _ = Lesson.objects.get_or_create(
        school=w.school, course=w.course_7a_math, date=TODAY, bell_number=1
    )
    return lesson


ROUTES |= {
    "journal API grid": object_route("get", "/api/v1/journal/{pk}", "course_7a_math"),
    "journal API cell history": object_route(
        "get",
        "/api/v1/lessons/{pk}/history",
        _journal_lesson,
        lambda w: {"student": w.pupil_7a.pk},
    ),
    "journal: my journals": route("get", "/journal/"),
    "journal: the grid page of 7А maths": object_route("get", "/journal/{pk}/", "course_7a_math"),
    "journal: offline service worker": route("get", "/journal/sw.js"),
    "journal: web app manifest": route("get", "/journal/manifest.webmanifest"),
}


# --- curriculum: study plan, courses, load, bells, timetable, lesson changes, substitutions ------
def _tt_lesson(w: World) -> object:
    import datetime

    from otmetka.journal.models import Lesson

    lesson, _ = Lesson.objects.get_or_create(
        school=w.school, course=w.course_7a_math, date=datetime.date(2026, 11, 23), bell_number=1
    )
    return lesson


def other_school_course(w: World) -> object:
    """The course of the other school (its world has one)."""
    from otmetka.curriculum.models import Course

    return Course.objects.get(school=w.other_school)


ROUTES |= {
    "curriculum: study plan of grade 7": route("get", "/curriculum/plan/?grade=7"),
    "curriculum: save the study plan": route(
        "post", "/curriculum/plan/?grade=7", lambda w: {f"subject-{w.math.pk}": "5"}
    ),
    "curriculum: courses": route("get", "/curriculum/courses/"),
    "curriculum: new course page": route("get", "/curriculum/courses/new/"),
    "curriculum: edit the 7А maths course": object_route(
        "get", "/curriculum/courses/{pk}/", "course_7a_math"
    ),
    "curriculum: a course of another school": object_route(
        "get", "/curriculum/courses/{pk}/", other_school_course
    ),
    "curriculum: load report": route("get", "/curriculum/load/"),
    "curriculum: timetable classes": route("get", "/curriculum/timetable/"),
    "curriculum: timetable grid of 7А": object_route(
        "get", "/curriculum/timetable/{pk}/", "class_7a"
    ),
    "curriculum: save the timetable grid of 7А": object_route(
        "post",
        "/curriculum/timetable/{pk}/",
        "class_7a",
        lambda w: {"valid_from": "2026-11-18"},
    ),
    "curriculum: timetable grid of another school's class": object_route(
        "get", "/curriculum/timetable/{pk}/", "other_class"
    ),
    "curriculum: extra lesson page": route("get", "/journal/lessons/extra/"),
    "curriculum: lesson change page": object_route("get", "/journal/lessons/{pk}/", _tt_lesson),
    "curriculum: cancel a lesson": object_route(
        "post",
        "/journal/lessons/{pk}/",
        _tt_lesson,
        lambda w: {"action": "cancel", "reason": "Экскурсия"},
    ),
    "curriculum: substitutions": route("get", "/journal/substitutions/"),
    "curriculum: substituted lessons for the month": route("get", "/journal/substitutions/month/"),
    "school setup: bells": route("get", "/setup/bell/"),
    "school setup: new bell page": route("get", "/setup/bell/new/"),
    "school setup: kinds of work": route("get", "/setup/markkind/"),
    "school setup: new kinds of work page": route("get", "/setup/markkind/new/"),
    "school setup: absence codes": route("get", "/setup/absencecode/"),
    "school setup: new absence codes page": route("get", "/setup/absencecode/new/"),
}


# --- routes the first table missed: the login page, the API's writes and documents, КТП edits -----


def _plan_topic(w: World) -> object:
    from otmetka.curriculum.models import PlannedTopic, ThematicPlan

    plan, _ = ThematicPlan.objects.get_or_create(course=w.course_7a_math, school=w.school)
    topic, _ = PlannedTopic.objects.get_or_create(
        school=w.school, plan=plan, position=1, defaults={"title": "Дроби", "hours": 1}
    )
    return topic


def _homework_pdf(w: World) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return {"file": SimpleUploadedFile("task.pdf", pdf, content_type="application/pdf")}


_KTP_TOPIC = "/curriculum/ktp/{w.course_7a_math.pk}/topic/{pk}/"


ROUTES |= {
    "login page": route("get", "/accounts/login/"),
    "API root": route("get", "/api/v1/"),
    # The API's documentation and schema (issue 8): logged-in school staff only.
    "API docs": route("get", "/api/v1/docs"),
    "API OpenAPI schema": route("get", "/api/v1/openapi.json"),
    "journal API save a mark": object_route(
        "post",
        "/api/v1/lessons/{pk}/cells",
        _journal_lesson,
        lambda w: {"changes": [{"student": w.pupil_7a.pk, "absence": None}], "reason": ""},
        json=True,
    ),
    "journal API lesson topic": object_route(
        "patch",
        "/api/v1/lessons/{pk}",
        _journal_lesson,
        lambda w: {"topic": "Дроби"},
        json=True,
    ),
    "journal API homework file": object_route(
        "post", "/api/v1/lessons/{pk}/files", _journal_lesson, _homework_pdf
    ),
    "КТП: edit a topic": object_route(
        "post",
        _KTP_TOPIC,
        _plan_topic,
        lambda w: {"title": "Дроби и проценты", "hours": 1, "planned_date": "", "work_kind": ""},
    ),
    "КТП: move a topic": object_route(
        "post", _KTP_TOPIC + "move/", _plan_topic, lambda w: {"position": 1}
    ),
    "КТП: delete a topic": object_route("post", _KTP_TOPIC + "delete/", _plan_topic),
}


# --- journal: homework files (issue 8): downloaded through the access-checked view ------------


def _homework_file(w: World, *, other_school: bool = False) -> object:
    """A stored homework PDF of today's 7А maths lesson (or of the other school's course)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from otmetka.curriculum.models import Course
    from otmetka.journal.models import HomeworkFile, Lesson
    from tests.journal.helpers import TODAY

    school = w.other_school if other_school else w.school
    course = Course.objects.filter(school=school).order_by("pk").first()
    lesson, _ = Lesson.objects.get_or_create(
        school=school, course=course, date=TODAY, bell_number=1
    )
    path = "homework/access-table.pdf"  # one file on disk, however often the table runs
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(b"%PDF-1.4\n"))
    found, _ = HomeworkFile.objects.get_or_create(
        school=school,
        lesson=lesson,
        defaults={"file": path, "name": "дз.pdf", "size": 9, "uploaded_by": w.user("admin")},
    )
    return found


ROUTES |= {
    # Whoever opens the journal, and the class's student and guardian (scope_courses).
    "journal: download a homework file of 7А maths": object_route(
        "get", "/journal/files/{pk}/", _homework_file
    ),
    "journal: download a homework file of the other school": object_route(
        "get", "/journal/files/{pk}/", lambda w: _homework_file(w, other_school=True)
    ),
    "journal: download a homework file that does not exist": route("get", "/journal/files/999999/"),
}


STATUSES = """
endpoint                                              anon admin deputy dir secr nurse web t7a t7b hr7a s7a s7b g7a tother region outs
home                                                  302  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
school switch to school 1                             302  302   302    302 302  302   302 302 302 302  302 302 302 404    302    404
school switch to the other school                     302  404   404    404 404  404   404 404 404 404  404 404 404 302    302    404
school switch by GET                                  302  405   405    405 405  405   405 405 405 405  405 405 405 405    405    405
password change page                                  302  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
logout                                                302  302   302    302 302  302   302 302 302 302  302 302 302 302    302    302
setup index                                           302  200   200    200 200  200   404 200 200 200  404 404 404 200    200    404
setup list of year                                    302  200   200    200 200  200   404 200 200 200  404 404 404 200    200    404
setup new academic year page                          302  200   200    403 403  403   404 403 403 403  404 404 404 403    403    404
setup edit academic year page                         302  200   200    403 403  403   404 403 403 403  404 404 404 404    404    404
setup list of period                                  302  200   200    200 200  404   404 200 200 200  404 404 404 200    200    404
setup new period page                                 302  200   200    403 403  404   404 403 403 403  404 404 404 403    403    404
setup edit period page                                302  200   200    403 403  404   404 403 403 403  404 404 404 404    404    404
setup list of vacation                                302  200   200    200 200  404   404 200 200 200  404 404 404 200    200    404
setup new vacation page                               302  200   200    403 403  404   404 403 403 403  404 404 404 403    403    404
setup edit vacation page                              302  200   200    403 403  404   404 403 403 403  404 404 404 404    404    404
setup list of calendar                                302  200   200    200 200  404   404 200 200 200  404 404 404 200    200    404
setup new calendar change page                        302  200   200    403 403  404   404 403 403 403  404 404 404 403    403    404
setup edit calendar change page                       302  200   200    403 403  404   404 403 403 403  404 404 404 404    404    404
setup list of class                                   302  200   200    200 200  200   404 200 200 200  404 404 404 200    200    404
setup new class page                                  302  200   200    403 403  403   404 403 403 403  404 404 404 403    403    404
setup edit class page                                 302  200   200    403 403  403   404 403 403 403  404 404 404 404    404    404
setup list of subject                                 302  200   200    200 200  404   404 200 200 200  404 404 404 200    200    404
setup new subject page                                302  200   200    403 403  404   404 403 403 403  404 404 404 403    403    404
setup edit subject page                               302  200   200    403 403  404   404 403 403 403  404 404 404 404    404    404
setup list of staff                                   302  200   200    200 200  404   404 404 404 404  404 404 404 404    404    404
setup new staff member page                           302  200   200    403 200  404   404 404 404 404  404 404 404 404    404    404
setup edit staff member page                          302  200   200    403 200  404   404 404 404 404  404 404 404 404    404    404
setup list of student                                 302  200   200    200 200  200   404 404 404 404  404 404 404 404    404    404
setup new student page                                302  200   200    403 200  403   404 404 404 404  404 404 404 404    404    404
setup edit student page                               302  200   200    302 200  302   404 404 404 404  404 404 404 404    404    404
setup list of guardian                                302  200   200    200 200  404   404 404 404 404  404 404 404 404    404    404
setup new guardian page                               302  200   200    403 200  404   404 404 404 404  404 404 404 404    404    404
setup edit guardian page                              302  200   200    403 200  404   404 404 404 404  404 404 404 404    404    404
student transfer page                                 302  200   200    403 200  403   404 404 404 404  404 404 404 404    404    404
student depart page                                   302  200   200    403 200  403   404 404 404 404  404 404 404 404    404    404
student login page                                    302  200   200    403 200  403   404 404 404 404  404 404 404 404    404    404
new password page for a staff member                  302  200   403    403 403  404   404 404 404 404  404 404 404 404    404    404
new password page for a student                       302  200   403    403 200  403   404 404 404 404  404 404 404 404    404    404
new password page for a guardian                      302  200   403    403 200  404   404 404 404 404  404 404 404 404    404    404
КТП page of a course                                  302  200   200    200 404  404   404 200 404 200  200 404 200 404    404    404
КТП print view                                        302  200   200    200 404  404   404 200 404 200  200 404 200 404    404    404
КТП import, empty form                                302  200   200    403 404  404   404 200 404 403  403 404 403 404    404    404
КТП add topic, empty form                             302  200   200    403 404  404   404 200 404 403  403 404 403 404    404    404
КТП copy-from page                                    302  200   200    403 404  404   404 200 404 403  403 404 403 404    404    404
journal API grid                                      401  200   200    200 404  404   404 200 404 200  404 404 404 404    404    404
journal API cell history                              401  200   200    200 404  404   404 200 404 200  404 404 404 404    404    404
journal: my journals                                  302  200   200    200 404  404   404 200 200 200  404 404 404 200    404    404
journal: offline service worker                       302  200   200    200 404  404   404 200 200 200  404 404 404 200    404    404
journal: web app manifest                             302  200   200    200 404  404   404 200 200 200  404 404 404 200    404    404
journal: the grid page of 7А maths                    302  200   200    200 404  404   404 200 404 200  404 404 404 404    404    404
curriculum: study plan of grade 7                     302  200   200    200 404  404   404 404 404 404  404 404 404 404    200    404
curriculum: save the study plan                       302  302   302    403 404  404   404 404 404 404  404 404 404 404    403    404
curriculum: courses                                   302  200   200    200 404  404   404 404 404 404  404 404 404 404    200    404
curriculum: new course page                           302  200   200    403 404  404   404 404 404 404  404 404 404 404    403    404
curriculum: edit the 7А maths course                  302  200   200    403 404  404   404 404 404 404  404 404 404 404    404    404
curriculum: a course of another school                302  404   404    404 404  404   404 404 404 404  404 404 404 404    403    404
curriculum: load report                               302  200   200    200 404  404   404 404 404 404  404 404 404 404    200    404
curriculum: timetable classes                         302  200   200    200 200  404   404 200 200 200  404 404 404 200    200    404
curriculum: timetable grid of 7А                      302  200   200    200 200  404   404 200 200 200  404 404 404 404    404    404
curriculum: save the timetable grid of 7А             302  302   302    403 403  404   404 403 403 403  404 404 404 404    404    404
curriculum: timetable grid of another school's class  302  404   404    404 404  404   404 404 404 404  404 404 404 200    200    404
curriculum: extra lesson page                         302  200   200    403 403  404   404 403 403 403  404 404 404 403    403    404
curriculum: lesson change page                        302  200   200    403 403  404   404 403 403 403  404 404 404 404    404    404
curriculum: cancel a lesson                           302  302   302    403 403  404   404 403 403 403  404 404 404 404    404    404
curriculum: substitutions                             302  403   200    403 404  404   404 404 404 404  404 404 404 404    404    404
curriculum: substituted lessons for the month         302  403   200    403 404  404   404 404 404 404  404 404 404 404    404    404
school setup: bells                                   302  200   200    200 200  404   404 200 200 200  404 404 404 200    200    404
school setup: new bell page                           302  200   200    403 403  404   404 403 403 403  404 404 404 403    403    404
school setup: kinds of work                           302  200   200    200 200  404   404 200 200 200  404 404 404 200    200    404
school setup: new kinds of work page                  302  200   200    403 403  404   404 403 403 403  404 404 404 403    403    404
school setup: absence codes                           302  200   200    200 200  404   404 200 200 200  404 404 404 200    200    404
school setup: new absence codes page                  302  200   200    403 403  404   404 403 403 403  404 404 404 403    403    404
login page                                            200  200   200    200 200  200   200 200 200 200  200 200 200 200    200    200
API root                                              404  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
API docs                                              302  200   200    200 200  200   200 200 200 200  404 404 404 200    404    404
API OpenAPI schema                                    302  200   200    200 200  200   200 200 200 200  404 404 404 200    404    404
journal API save a mark                               401  403   200    403 404  404   404 200 404 403  404 404 404 404    404    404
journal API lesson topic                              401  403   200    403 404  404   404 200 404 403  404 404 404 404    404    404
journal API homework file                             401  403   200    403 404  404   404 200 404 403  404 404 404 404    404    404
КТП: edit a topic                                     302  302   302    403 404  404   404 302 404 403  403 404 403 404    404    404
КТП: move a topic                                     302  302   302    403 404  404   404 302 404 403  403 404 403 404    404    404
КТП: delete a topic                                   302  302   302    403 404  404   404 302 404 403  403 404 403 404    404    404
journal: download a homework file of 7А maths         302  200   200    200 404  404   404 200 404 200  200 404 200 404    404    404
journal: download a homework file of the other school 302  404   404    404 404  404   404 404 404 404  404 404 404 200    404    404
journal: download a homework file that does not exist 302  404   404    404 404  404   404 404 404 404  404 404 404 404    404    404
"""


def _merge_area_tables() -> str:
    """Add the tables of `tests/access/tables/*.py`; their header must equal this file's."""
    import importlib
    import pkgutil

    from tests.access import tables

    header, *rows = STATUSES.strip().splitlines()
    for info in sorted(pkgutil.iter_modules(tables.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{tables.__name__}.{info.name}")
        area_header, *area_rows = module.STATUSES.strip().splitlines()
        assert area_header.split() == header.split(), f"{info.name}: the header differs"
        clash = set(ROUTES) & set(module.ROUTES)
        assert not clash, f"{info.name}: names already used: {sorted(clash)}"
        ROUTES.update(module.ROUTES)
        rows += area_rows
    return "\n".join([header, *rows])


STATUSES = _merge_area_tables()
