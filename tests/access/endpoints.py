"""The endpoint registry: every route of the table, and the status each persona must get.

`tests/access/test_endpoint_table.py` reads it. `ROUTES` says how to request each endpoint (method, URL
and body, built from the world); `STATUSES` is the table itself, one row an endpoint, one column a
persona of `tests.world.PERSONAS` (abbreviated, see `COLUMNS`) and `anon` for the anonymous visitor.
A row that forgets a column, a route without a row or a row without a route fails the table test
(fail-closed); a route of the URL map without an endpoint fails `test_every_route_has_a_row`.

Statuses: 200 page, 302 redirect (anonymous → login, or after a successful POST), 400/401 API
refusals, 403 readable but not writable, 404 missing or forbidden, 405 wrong method.
"""

from collections.abc import Callable
from dataclasses import dataclass

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


ROUTES: dict[str, Route] = {}


ROUTES |= {
    # An outsider is logged in but has no school: the page says so (200).
    "home": Route("get", lambda w: "/", no_data),
    # Switching redirects home; a school that is not the user's is 404.
    "school switch to school 1": Route(
        "post", lambda w: "/school/switch/", lambda w: {"school": w.school.pk}
    ),
    "school switch to the other school": Route(
        "post", lambda w: "/school/switch/", lambda w: {"school": w.other_school.pk}
    ),
    "school switch by GET": Route("get", lambda w: "/school/switch/", no_data),
    "password change page": Route("get", lambda w: "/accounts/password/", no_data),
    "logout": Route("post", lambda w: "/accounts/logout/", no_data),
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
    "setup index": Route("get", lambda w: "/setup/", no_data),
    "setup list of year": Route("get", lambda w: "/setup/year/", no_data),
    "setup new academic year page": Route("get", lambda w: "/setup/year/new/", no_data),
    "setup edit academic year page": Route("get", lambda w: f"/setup/year/{w.year.pk}/", no_data),
    "setup list of period": Route("get", lambda w: "/setup/period/", no_data),
    "setup new period page": Route("get", lambda w: "/setup/period/new/", no_data),
    "setup edit period page": Route("get", lambda w: f"/setup/period/{_period(w).pk}/", no_data),
    "setup list of vacation": Route("get", lambda w: "/setup/vacation/", no_data),
    "setup new vacation page": Route("get", lambda w: "/setup/vacation/new/", no_data),
    "setup edit vacation page": Route(
        "get", lambda w: f"/setup/vacation/{_vacation(w).pk}/", no_data
    ),
    "setup list of calendar": Route("get", lambda w: "/setup/calendar/", no_data),
    "setup new calendar change page": Route("get", lambda w: "/setup/calendar/new/", no_data),
    "setup edit calendar change page": Route(
        "get", lambda w: f"/setup/calendar/{_override(w).pk}/", no_data
    ),
    "setup list of class": Route("get", lambda w: "/setup/class/", no_data),
    "setup new class page": Route("get", lambda w: "/setup/class/new/", no_data),
    "setup edit class page": Route("get", lambda w: f"/setup/class/{w.class_7b.pk}/", no_data),
    "setup list of subject": Route("get", lambda w: "/setup/subject/", no_data),
    "setup new subject page": Route("get", lambda w: "/setup/subject/new/", no_data),
    "setup edit subject page": Route("get", lambda w: f"/setup/subject/{w.math.pk}/", no_data),
    "setup list of staff": Route("get", lambda w: "/setup/staff/", no_data),
    "setup new staff member page": Route("get", lambda w: "/setup/staff/new/", no_data),
    "setup edit staff member page": Route(
        "get", lambda w: f"/setup/staff/{_staff(w).pk}/", no_data
    ),
    "setup list of student": Route("get", lambda w: "/setup/student/", no_data),
    "setup new student page": Route("get", lambda w: "/setup/student/new/", no_data),
    "setup edit student page": Route("get", lambda w: f"/setup/student/{w.pupil_7b.pk}/", no_data),
    "setup list of guardian": Route("get", lambda w: "/setup/guardian/", no_data),
    "setup new guardian page": Route("get", lambda w: "/setup/guardian/new/", no_data),
    "setup edit guardian page": Route(
        "get", lambda w: f"/setup/guardian/{w.guardian_link.pk}/", no_data
    ),
    "student transfer page": Route(
        "get", lambda w: f"/setup/student/{w.pupil_7b.pk}/transfer/", no_data
    ),
    "student depart page": Route(
        "get", lambda w: f"/setup/student/{w.pupil_7b.pk}/depart/", no_data
    ),
    "student login page": Route("get", lambda w: f"/setup/student/{w.pupil_7b.pk}/login/", no_data),
    "new password page for a staff member": Route(
        "get", lambda w: f"/setup/staff/{_staff(w).pk}/password/", no_data
    ),
    "new password page for a student": Route(
        "get", lambda w: f"/setup/student/{w.pupil_7b.pk}/password/", no_data
    ),
    "new password page for a guardian": Route(
        "get", lambda w: f"/setup/guardian/{w.guardian_link.pk}/password/", no_data
    ),
    "КТП page of a course": Route(
        "get", lambda w: f"/curriculum/ktp/{w.course_7a_math.pk}/", no_data
    ),
    "КТП print view": Route(
        "get", lambda w: f"/curriculum/ktp/{w.course_7a_math.pk}/print/", no_data
    ),
    "КТП import, empty form": Route(
        "post", lambda w: f"/curriculum/ktp/{w.course_7a_math.pk}/import/", lambda w: {}
    ),
    "КТП add topic, empty form": Route(
        "post",
        lambda w: f"/curriculum/ktp/{w.course_7a_math.pk}/topic/add/",
        lambda w: {"title": ""},
    ),
    "КТП copy-from page": Route(
        "get", lambda w: f"/curriculum/ktp/{w.course_7a_math.pk}/copy/", no_data
    ),
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
    "journal API grid": Route("get", lambda w: f"/api/v1/journal/{w.course_7a_math.pk}", no_data),
    "journal API cell history": Route(
        "get",
        lambda w: f"/api/v1/lessons/{_journal_lesson(w).pk}/history",
        lambda w: {"student": w.pupil_7a.pk},
    ),
    "journal: my journals": Route("get", lambda w: "/journal/", no_data),
    "journal: the grid page of 7А maths": Route(
        "get", lambda w: f"/journal/{w.course_7a_math.pk}/", no_data
    ),
}


# --- curriculum: study plan, courses, load, bells, timetable, lesson changes, substitutions ------
def _tt_lesson(w: World) -> object:
    import datetime

    from otmetka.journal.models import Lesson

    lesson, _ = Lesson.objects.get_or_create(
        school=w.school, course=w.course_7a_math, date=datetime.date(2026, 11, 23), bell_number=1
    )
    return lesson


def _tt_other_course(w: World) -> object:
    from otmetka.curriculum.models import Course

    return Course.objects.get(school=w.other_school)


ROUTES |= {
    "curriculum: study plan of grade 7": Route(
        "get", lambda w: "/curriculum/plan/?grade=7", no_data
    ),
    "curriculum: save the study plan": Route(
        "post", lambda w: "/curriculum/plan/?grade=7", lambda w: {f"subject-{w.math.pk}": "5"}
    ),
    "curriculum: courses": Route("get", lambda w: "/curriculum/courses/", no_data),
    "curriculum: new course page": Route("get", lambda w: "/curriculum/courses/new/", no_data),
    "curriculum: edit the 7А maths course": Route(
        "get", lambda w: f"/curriculum/courses/{w.course_7a_math.pk}/", no_data
    ),
    "curriculum: a course of another school": Route(
        "get", lambda w: f"/curriculum/courses/{_tt_other_course(w).pk}/", no_data
    ),
    "curriculum: load report": Route("get", lambda w: "/curriculum/load/", no_data),
    "curriculum: timetable classes": Route("get", lambda w: "/curriculum/timetable/", no_data),
    "curriculum: timetable grid of 7А": Route(
        "get", lambda w: f"/curriculum/timetable/{w.class_7a.pk}/", no_data
    ),
    "curriculum: save the timetable grid of 7А": Route(
        "post",
        lambda w: f"/curriculum/timetable/{w.class_7a.pk}/",
        lambda w: {"valid_from": "2026-11-18"},
    ),
    "curriculum: timetable grid of another school's class": Route(
        "get", lambda w: f"/curriculum/timetable/{w.other_class.pk}/", no_data
    ),
    "curriculum: extra lesson page": Route("get", lambda w: "/journal/lessons/extra/", no_data),
    "curriculum: lesson change page": Route(
        "get", lambda w: f"/journal/lessons/{_tt_lesson(w).pk}/", no_data
    ),
    "curriculum: cancel a lesson": Route(
        "post",
        lambda w: f"/journal/lessons/{_tt_lesson(w).pk}/",
        lambda w: {"action": "cancel", "reason": "Экскурсия"},
    ),
    "curriculum: substitutions": Route("get", lambda w: "/journal/substitutions/", no_data),
    "curriculum: substituted lessons for the month": Route(
        "get", lambda w: "/journal/substitutions/month/", no_data
    ),
    "school setup: bells": Route("get", lambda w: "/setup/bell/", no_data),
    "school setup: new bell page": Route("get", lambda w: "/setup/bell/new/", no_data),
    "school setup: kinds of work": Route("get", lambda w: "/setup/markkind/", no_data),
    "school setup: new kinds of work page": Route("get", lambda w: "/setup/markkind/new/", no_data),
    "school setup: absence codes": Route("get", lambda w: "/setup/absencecode/", no_data),
    "school setup: new absence codes page": Route(
        "get", lambda w: "/setup/absencecode/new/", no_data
    ),
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


def _ktp_topic_url(w: World, action: str = "") -> str:
    topic = _plan_topic(w)
    return f"/curriculum/ktp/{w.course_7a_math.pk}/topic/{topic.pk}/{action}"


ROUTES |= {
    "login page": Route("get", lambda w: "/accounts/login/", no_data),
    "API root": Route("get", lambda w: "/api/v1/", no_data),
    # The API's documentation and schema (issue 8): logged-in school staff only.
    "API docs": Route("get", lambda w: "/api/v1/docs", no_data),
    "API OpenAPI schema": Route("get", lambda w: "/api/v1/openapi.json", no_data),
    "journal API save a mark": Route(
        "post",
        lambda w: f"/api/v1/lessons/{_journal_lesson(w).pk}/cells",
        lambda w: {"changes": [{"student": w.pupil_7a.pk, "absence": None}], "reason": ""},
        json=True,
    ),
    "journal API lesson topic": Route(
        "patch",
        lambda w: f"/api/v1/lessons/{_journal_lesson(w).pk}",
        lambda w: {"topic": "Дроби"},
        json=True,
    ),
    "journal API homework file": Route(
        "post", lambda w: f"/api/v1/lessons/{_journal_lesson(w).pk}/files", _homework_pdf
    ),
    "КТП: edit a topic": Route(
        "post",
        lambda w: _ktp_topic_url(w),
        lambda w: {"title": "Дроби и проценты", "hours": 1, "planned_date": "", "work_kind": ""},
    ),
    "КТП: move a topic": Route(
        "post", lambda w: _ktp_topic_url(w, "move/"), lambda w: {"position": 1}
    ),
    "КТП: delete a topic": Route("post", lambda w: _ktp_topic_url(w, "delete/"), no_data),
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
    "journal: download a homework file of 7А maths": Route(
        "get", lambda w: f"/journal/files/{_homework_file(w).pk}/", no_data
    ),
    "journal: download a homework file of the other school": Route(
        "get", lambda w: f"/journal/files/{_homework_file(w, other_school=True).pk}/", no_data
    ),
    "journal: download a homework file that does not exist": Route(
        "get", lambda w: "/journal/files/999999/", no_data
    ),
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
setup edit student page                               302  200   200    403 200  403   404 404 404 404  404 404 404 404    404    404
setup list of guardian                                302  200   200    200 200  404   404 404 404 404  404 404 404 404    404    404
setup new guardian page                               302  200   200    403 200  404   404 404 404 404  404 404 404 404    404    404
setup edit guardian page                              302  200   200    403 200  404   404 404 404 404  404 404 404 404    404    404
student transfer page                                 302  200   200    403 200  403   404 404 404 404  404 404 404 404    404    404
student depart page                                   302  200   200    403 200  403   404 404 404 404  404 404 404 404    404    404
student login page                                    302  200   200    403 200  403   404 404 404 404  404 404 404 404    404    404
new password page for a staff member                  302  200   403    403 404  404   404 404 404 404  404 404 404 404    404    404
new password page for a student                       302  200   403    403 404  404   404 404 404 404  404 404 404 404    404    404
new password page for a guardian                      302  200   403    403 404  404   404 404 404 404  404 404 404 404    404    404
КТП page of a course                                  302  200   200    200 404  404   404 200 404 200  200 404 200 404    404    404
КТП print view                                        302  200   200    200 404  404   404 200 404 200  200 404 200 404    404    404
КТП import, empty form                                302  200   200    403 404  404   404 200 404 403  403 404 403 404    404    404
КТП add topic, empty form                             302  200   200    403 404  404   404 200 404 403  403 404 403 404    404    404
КТП copy-from page                                    302  200   200    403 404  404   404 200 404 403  403 404 403 404    404    404
journal API grid                                      401  200   200    200 404  404   404 200 404 200  404 404 404 404    404    404
journal API cell history                              401  200   200    200 404  404   404 200 404 200  404 404 404 404    404    404
journal: my journals                                  302  200   200    200 200  200   200 200 200 200  200 200 200 200    200    404
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
