"""ЭлЖур's diary methods (getrules, getperiods, getdiary, getschedule, gethomework, getmarks,
getfinalassessments) over the diary's selectors and `access.diary`: a reader sees only their
own diary students, a missing-or-foreign `student` is 404 in the envelope."""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from otmetka.access.diary import diary_student_access, diary_students
from otmetka.access.rules import is_school_staff
from otmetka.diary import selectors
from otmetka.journal.grid import averages
from otmetka.people.models import Student

from .params import EljurError, days, flag, student_id, this_week

ROMAN = ("", "I", "II", "III", "IV", "V", "VI")
SECTIONS = ["diary", "marks", "finalmarks", "schedule", "messages"]
CHILD_RULES = [
    "getdiary", "getfinalassessments", "gethomework", "getmarks", "getperiods", "getschedule",
]  # fmt: skip


def ymd(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def hms(at: datetime.time | None) -> str:
    return at.strftime("%H:%M:%S") if at else "00:00:00"


def students_of(request: HttpRequest, params: dict[str, str]) -> list[Student]:
    """The students a call is about: `student` if it is one of the caller's (404 otherwise),
    else every student whose diary the caller reads."""
    chosen = student_id(params)
    if chosen is not None:
        try:
            return [diary_student_access(request.user, chosen)]
        except Http404:
            raise EljurError(404, _("No such student among yours.")) from None
    found = list(
        diary_students(request.user)
        .select_related("school")
        .order_by("last_name", "first_name", "middle_name", "pk")
    )  # the pages' order, without their remembered choice (one query)
    if not found:
        raise EljurError(404, _("You have no diary to read."))
    return found


def _title(s: Student) -> str:
    return f"{s.last_name} {s.first_name}".strip()


def _entry(s: Student) -> dict[str, Any]:
    return {"name": str(s.pk), "title": _title(s)}


# --- getrules ----------------------------------------------------------------------------------


def _grade(name: str) -> int:
    digits = "".join(c for c in name if c.isdigit())
    return int(digits) if digits else 0


def getrules(request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    """Who the caller is, their diary students (keyed by id; a student lists themself) and
    their classes and schools."""
    user: Any = request.user
    students = selectors.diary_reader(user=user).students
    classes = selectors.current_classes(students)
    own = next((s for s in students if s.user_id == user.pk), None)
    roles = (["student"] if own else []) + (
        ["parent"] if any(s is not own for s in students) else []
    )
    if is_school_staff(user):
        roles.append("employee")
    relations_students = {
        str(s.pk): {
            "rules": CHILD_RULES, "rel": "self" if s is own else "child", **_entry(s),
            "lastname": s.last_name, "firstname": s.first_name, "middlename": s.middle_name,
            "gender": {"m": "male", "f": "female"}.get(s.gender, ""),
            "class": classes.get(s.pk, ""), "parallel": _grade(classes.get(s.pk, "")), "city": "",
        }
        for s in students
    }  # fmt: skip
    groups = {
        name: {"rules": ["getschedule", "gethomework"], "rel": "homeclass" if own else "child",
               "name": name, "parallel": _grade(name), "balls": 5}
        for name in sorted({c for c in classes.values() if c})
    }  # fmt: skip
    school = getattr(request, "school", None) or (students[0].school if students else None)
    vendor = params.get("vendor", "") or "otmetka"
    schools = {s.school_id: s.school for s in students}
    if school is not None:
        schools.setdefault(school.pk, school)
    me = str(own.pk) if own else str(user.pk)
    return {
        "roles": roles,
        "relations": {
            "students": relations_students,
            "groups": groups,
            "schools": [
                {"number": vendor, "title": s.short_name or s.name, "title_full": s.name,
                 "inn": "", "kpp": ""}
                for s in schools.values()
            ],
        },
        "allowedAds": [], "allowedSections": SECTIONS,
        "name": me, "id": me, "title": user.full_name or user.username,
        "lastname": user.last_name, "firstname": user.first_name, "middlename": user.middle_name,
        "gender": relations_students.get(me, {}).get("gender", ""), "email": user.email or "",
        "email_confirmed": False,
        "region": school.district.region.name if school is not None else "",
        "regionCode": "", "city": "", "messageSignature": "", "vendor": vendor,
        "vendor_id": school.pk if school is not None else 0, "vuid": f"{vendor}#{me}",
        "id_hash": "", "guid": "", "original_guid": "", "uploadFileUrl": "",
        "supportEmail": "", "supportPhone": "", "supportHelpdesk": "",
        "rt_licey_school_end_date": False,
    }  # fmt: skip


# --- getperiods --------------------------------------------------------------------------------


def _weeks(start: datetime.date, end: datetime.date) -> list[dict[str, str]]:
    weeks = []
    monday = start - datetime.timedelta(days=start.weekday())
    while monday <= end:
        sunday = monday + datetime.timedelta(days=6)
        a, b = max(monday, start), min(sunday, end)
        weeks.append({"start": ymd(a), "end": ymd(b), "title": f"{a:%d.%m} — {b:%d.%m}"})
        monday += datetime.timedelta(days=7)
    return weeks


def getperiods(request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    """The periods of each student's class (a list of students here, as in ЭлЖур)."""
    with_weeks = flag(params, "weeks")
    found = []
    for s in students_of(request, params):
        periods, _current = selectors.student_periods(s)
        rows = []
        for p in periods:
            row: dict[str, Any] = {
                "name": ROMAN[p.number] if p.number < len(ROMAN) else str(p.number),
                "fullname": p.name, "disabled": False, "ambigious": False,
                "start": ymd(p.start), "end": ymd(p.end),
            }  # fmt: skip
            if with_weeks:
                row["weeks"] = _weeks(p.start, p.end)
            rows.append(row)
        found.append({**_entry(s), "periods": rows})
    return {"students": found}


# --- getdiary, getschedule, gethomework ---------------------------------------------------------


def _files(request: HttpRequest, lesson: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"toid": lesson["id"], "filename": f["name"], "link": request.build_absolute_uri(f["url"])}
        for f in lesson["files"]
    ]


def _homework(lesson: dict[str, Any]) -> dict[str, Any]:
    if not lesson["homework"]:
        return {}
    key = str(lesson["id"])
    return {key: {"id": lesson["id"], "value": lesson["homework"], "individual": False}}


def _assessments(lesson: dict[str, Any], day: datetime.date) -> list[dict[str, Any]]:
    found = []
    common = {"lesson_id": str(lesson["id"]), "date": day.isoformat(), "color_hex": None}
    for n, m in enumerate(lesson["marks"], 1):
        convert = int(m["value"]) if m["value"].isdigit() else 0
        found.append(
            {"value": m["value"], "countas": m["value"], "count": convert > 0, "convert": convert,
             **common, "nm": str(n), "weight": int(m["weight"]),
             "weight_float": float(m["weight"]), "comment": m["comment"],
             "control_type": m["kind"], "control_type_short": ""}
        )  # fmt: skip
    if lesson["absence"]:
        code = lesson["absence"]["code"]
        found.append(
            {"value": code, "countas": "0", "count": False, "convert": 0, **common,
             "nm": str(len(found) + 1), "weight": 0, "weight_float": 0.0,
             "comment": lesson["absence"]["name"], "control_type": "", "control_type_short": ""}
        )  # fmt: skip
    return found


def _item(
    request: HttpRequest, lesson: dict[str, Any], day: datetime.date, *, rings: bool, full: bool
) -> dict[str, Any]:
    """One lesson as ЭлЖур's `items` entry; `full` adds topic, homework, files and marks."""
    number = lesson["number"] or 0
    item: dict[str, Any] = {
        "name": lesson["subject"], "num": str(number), "room": lesson["room"],
        "teacher": lesson["teacher"], "sort": number * 10, "grp": lesson["group"],
        "grp_short": lesson["group"], "lesson_id": str(lesson["id"]),
    }  # fmt: skip
    if rings:
        item["starttime"], item["endtime"] = hms(lesson["starts"]), hms(lesson["ends"])
    if full:
        item |= {"is_control": False, "topic": lesson["topic"], "files": _files(request, lesson),
                 "resources": [], "assessments": _assessments(lesson, day)}  # fmt: skip
        if homework := _homework(lesson):
            item["homework"] = homework
    return item


def _keyed(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Items keyed by lesson number; two lessons at one bell (groups) get the next free key."""
    keyed: dict[str, Any] = {}
    for item in items:
        key = item["num"] if item["num"] != "0" and item["num"] not in keyed else None
        if key is None:
            key = str(max([int(k) for k in keyed] + [int(item["num"])]) + 1)
        keyed[key] = item
    return keyed


def _day_head(day: Any) -> dict[str, Any]:
    head: dict[str, Any] = {"name": ymd(day.date), "title": str(WEEKDAYS[day.date.weekday()])}
    if day.today:
        head["alert"] = "today"
    if not day.lessons and day.kind in ("holiday", "vacation", "quarantine"):
        head["alert"] = "vacation" if day.kind == "vacation" else "holiday"
        head["holiday_name"] = day.note
    return head


def _range(params: dict[str, str]) -> tuple[datetime.date, datetime.date]:
    return days(params) or this_week()


def diary_of(
    request: HttpRequest,
    s: Student,
    start: datetime.date,
    end: datetime.date,
    *,
    full: bool,
    rings: bool,
) -> dict[str, Any]:
    """One student's days in ЭлЖур's getdiary (`full`) or getschedule shape."""
    data = selectors.diary_days(student=s, start=start, end=end)
    out: dict[str, Any] = {}
    for day in data["days"]:
        if not day.lessons and not full:
            continue  # a schedule lists school days only (clients read max(items))
        items = [_item(request, ls, day.date, rings=rings, full=full) for ls in day.lessons]
        out[ymd(day.date)] = {**_day_head(day), "items": _keyed(items)}
    return out


def getdiary(request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    """Lessons with topic, homework, files and marks (absences among them), by date."""
    start, end = _range(params)
    rings = flag(params, "rings")
    return {
        "students": {
            str(s.pk): {**_entry(s), "parent_signed": False,
                        "days": diary_of(request, s, start, end, full=True, rings=rings)}
            for s in students_of(request, params)
        }
    }  # fmt: skip


def getschedule(request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    """The lessons (subject, room, teacher, times with `rings`) by date."""
    if params.get("class") and not params.get("student") and not params.get("students"):
        raise EljurError(400, _("Ask for a student's schedule (a class's is not served)."))
    start, end = _range(params)
    rings = flag(params, "rings")
    return {
        "students": {
            str(s.pk): {
                **_entry(s),
                "days": diary_of(request, s, start, end, full=False, rings=rings),
            }
            for s in students_of(request, params)
        }
    }


def getmarks_student(
    request: HttpRequest, s: Student, start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """One student's marks by subject between the dates."""
    periods, current = selectors.student_periods(s)
    chosen = next((p for p in periods if p.start <= start <= p.end), current)
    data = selectors.diary_marks(student=s, chosen_period=chosen.pk if chosen else None)
    lessons = []
    for subject in data["subjects"]:
        marks = [m for m in subject["marks"] if start <= m["date"] <= end]
        simple, _weighted = averages([(m["value"], m["weight"]) for m in marks])
        rows = []
        for n, m in enumerate(marks, 1):
            convert = int(m["value"]) if m["value"].isdigit() else 0
            rows.append(
                {"value": m["value"], "countas": m["value"], "count": convert > 0,
                 "convert": convert, "weight": int(m["weight"]), "weight_float": float(m["weight"]),
                 "date": m["date"].isoformat(), "nm": str(n),
                 "lesson_id": str(subject["course"].pk), "comment": m["comment"],
                 "lesson_comment": "", "color_hex": None,
                 "max_mark": None, "mtype": {"id": 0, "type": m["kind"], "short": ""}}
            )  # fmt: skip
        convert = int(Decimal(simple).quantize(Decimal(1), ROUND_HALF_UP)) if simple else 0
        lessons.append(
            {"name": subject["subject"], "lesson_id": str(subject["course"].pk),
             "average": simple or "", "averageConvert": convert, "color_hex": None, "marks": rows}
        )  # fmt: skip
    return {**_entry(s), "lessons": lessons}


def getmarks(request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    """Marks by subject for `days` (default: the current period), with the average."""
    found = {}
    for s in students_of(request, params):
        chosen = days(params)
        if chosen is None:
            _periods, current = selectors.student_periods(s)
            chosen = (current.start, current.end) if current else this_week()
        found[str(s.pk)] = getmarks_student(request, s, *chosen)
    return {"students": found}


def gethomework(request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    """Homework by date, keyed by subject name, with files."""
    if params.get("class") and not params.get("student") and not params.get("students"):
        raise EljurError(400, _("Ask for a student's homework (a class's is not served)."))
    start, end = _range(params)
    found = {}
    for s in students_of(request, params):
        out: dict[str, Any] = {}
        for day in selectors.diary_days(student=s, start=start, end=end)["days"]:
            items: dict[str, Any] = {}
            for ls in day.lessons:
                if not ls["homework"] and not ls["files"]:
                    continue
                entry = items.setdefault(
                    ls["subject"], {"name": ls["subject"], "homework": {}, "files": []}
                )
                entry["homework"] |= _homework(ls)
                entry["files"] += _files(request, ls)
            if items:
                out[ymd(day.date)] = {**_day_head(day), "items": items}
        found[str(s.pk)] = {**_entry(s), "days": out}
    return {"students": found}


def getfinalassessments(request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    """Each subject's period marks (итоговые отметки) of the year, by period (four queries a
    student, whatever the number of periods and subjects)."""
    found = {}
    for s in students_of(request, params):
        periods, subjects = selectors.year_final_marks(s)
        items = []
        for name, values in subjects:
            marks = [
                {"period": ROMAN[p.number] if p.number < len(ROMAN) else str(p.number),
                 "value": values[p.pk], "comment": "",
                 "convert": int(values[p.pk]) if values[p.pk].isdigit() else 0, "color_hex": None}
                for p in periods
                if p.pk in values
            ]  # fmt: skip
            items.append({"name": name, "assessments": marks})
        found[str(s.pk)] = {**_entry(s), "items": items}
    return {"students": found}
