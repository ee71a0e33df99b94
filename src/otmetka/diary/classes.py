"""Reads of the homeroom teacher's class: the student list with the gaps in their data and their
guardians' logins, and the class summary of marks and absences for a period. A fixed number of
queries each, whatever the size of the class."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from otmetka.access.diary import live_links
from otmetka.core.dates import active_during
from otmetka.curriculum.models import Course
from otmetka.diary.models import DiaryVisit
from otmetka.diary.selectors import class_periods, period_marks, pick_period, school_view_days
from otmetka.journal.grid import averages
from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark
from otmetka.people.models import Guardian
from otmetka.school.models import Enrollment, Period, SchoolClass

RISK_SHARE = Decimal("0.3")  # ≥ 30 % of a subject's lessons missed: the attestation risk (R25)
LOW_MEAN = Decimal(3)  # a mean below 3 is flagged


def _current(day: datetime.date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


RECENT = datetime.timedelta(days=7)  # "has looked at the diary lately"
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def class_roster(*, school_class: SchoolClass) -> dict[str, Any]:
    """Today's students of the class with what their record lacks and their guardians (login
    issued, logged in, last seen, last opened the child's diary), the share of students with a
    guardian who has logged in, those with a guardian who opened the diary in the last week, and
    the school's guardians' views by day (four queries)."""
    today = timezone.localdate()
    enrollments = (
        Enrollment.objects.filter(_current(today), school_class=school_class)
        .select_related("student__user")
        .order_by("student__last_name", "student__first_name", "student__middle_name", "pk")
    )
    students = [e.student for e in enrollments]
    links: dict[int, list[Guardian]] = defaultdict(list)
    guardians = list(
        Guardian.objects.filter(live_links(), school=school_class.school_id, student__in=students)
        .select_related("user")
        .order_by("relation", "user__last_name", "pk")
    )
    seen = {
        (user_id, student_id): at
        for user_id, student_id, at in DiaryVisit.objects.filter(
            user_id__in={g.user_id for g in guardians}, student__in=students
        ).values_list("user_id", "student_id", "seen_at")
    }
    for g in guardians:
        setattr(g, "diary_seen", seen.get((g.user_id, g.student_id)))  # noqa: B010 (for the page)
        links[g.student_id].append(g)
    recent = timezone.now() - RECENT
    rows = []
    for s in students:
        mine = links[s.pk]
        missing = []
        if s.birth_date is None:
            missing.append("birth_date")
        if not mine:
            missing.append("guardian")
        elif not any(g.phone for g in mine):
            missing.append("guardian_phone")
        rows.append(
            {
                "student": s,
                "guardians": mine,
                "missing": missing,
                "connected": any(g.user.last_login for g in mine),
                "reading": any(seen.get((g.user_id, s.pk), EPOCH) >= recent for g in mine),
            }
        )
    connected = sum(1 for r in rows if r["connected"])
    share = round(100 * connected / len(rows)) if rows else 0
    return {"school_class": school_class, "rows": rows, "connected": connected, "share": share,
            "reading": sum(1 for r in rows if r["reading"]),
            "never_logged_in": len({g.user_id for g in guardians if g.user.last_login is None}),
            "view_days": school_view_days(school_id=school_class.school_id, today=today),
            "not_connected": [r["student"] for r in rows if not r["connected"]]}  # fmt: skip


def _class_courses(school_class: SchoolClass) -> list[Course]:
    """The class's courses (whole class and its groups) with subjects (one query)."""
    return list(
        Course.objects.filter(school_class=school_class)
        .select_related("subject")
        .order_by("subject__position", "subject__name", "name", "pk")
    )


def _held(ids: list[int], period: Period, today: datetime.date) -> dict[int, int]:
    """Course id → lessons held (not cancelled) in the period up to today (one query)."""
    rows = (
        Lesson.objects.filter(course_id__in=ids, date__range=(period.start, min(period.end, today)))
        .exclude(status=Lesson.Status.CANCELLED)
        .values("course_id")
        .annotate(n=Count("pk"))
    )
    return {r["course_id"]: r["n"] for r in rows}


def _cell(marks: list[tuple[str, Decimal]], missed: int, held: int, final: str | None) -> dict:
    simple, weighted = averages(marks)
    share = Decimal(missed) / held if held else Decimal(0)
    return {
        "average": weighted,
        "simple": simple,
        "twos": sum(1 for v, _w in marks if v == "2"),
        "missed": missed,
        "risk": held > 0 and share >= RISK_SHARE,
        "low": weighted is not None and Decimal(weighted) < LOW_MEAN,
        "period_mark": final,
    }


SORTS = ("name", "mean", "-mean", "absences")  # the summary's orders (`?sort=`)


def _mean(cells: list[dict[str, Any]]) -> Decimal | None:
    """The student's mean over subjects: the mean of the subjects' weighted averages."""
    found = [Decimal(c["average"]) for c in cells if c["average"] is not None]
    return (sum(found, Decimal(0)) / len(found)).quantize(Decimal("0.01")) if found else None


def _sorted(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """Rows in the chosen order (stable: by name within equal values). "mean": weakest first,
    "-mean": strongest first (students without marks last either way), "absences": most
    first."""
    if sort in ("mean", "-mean"):
        sign = 1 if sort == "mean" else -1
        return sorted(rows, key=lambda r: (r["mean"] is None, sign * (r["mean"] or 0)))
    if sort == "absences":
        return sorted(rows, key=lambda r: -r["absences"])
    return rows


def class_summary(
    *, school_class: SchoolClass, chosen_period: Any = None, sort: str = "name"
) -> dict[str, Any]:
    """Students × subjects for a period: the weighted average (and the period mark when one
    exists), the count of 2s, absences by code; a student who missed ≥ 30 % of a subject's
    lessons, or whose mean in it is below 3, is flagged. Sorted by `sort` (one of `SORTS`; by
    name otherwise), so it prints in that order too (seven queries)."""
    sort = sort if sort in SORTS else "name"
    today = timezone.localdate()
    periods = class_periods(school_class)
    period = pick_period(periods, chosen_period, today)
    base = {"school_class": school_class, "periods": periods, "period": period, "sort": sort}
    if period is None:
        return {**base, "courses": [], "rows": []}
    span = Q(start__lte=period.end) & (Q(end__isnull=True) | Q(end__gte=period.start))
    enrollments = (
        Enrollment.objects.filter(span, school_class=school_class)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student__middle_name", "pk")
    )
    students = list({e.student_id: e.student for e in enrollments}.values())
    courses = _class_courses(school_class)
    ids = [c.pk for c in courses]
    dates = (period.start, period.end)
    marks: dict[tuple[int, int], list[tuple[str, Decimal]]] = defaultdict(list)
    for course_id, sid, value, weight in Mark.objects.filter(
        lesson__course_id__in=ids, lesson__date__range=dates, is_deleted=False
    ).values_list("lesson__course_id", "student_id", "value", "kind__weight"):
        marks[(course_id, sid)].append((value, weight))
    missed: dict[tuple[int, int], int] = defaultdict(int)
    codes: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for course_id, sid, code, reason in Absence.objects.filter(
        lesson__course_id__in=ids, lesson__date__range=dates
    ).values_list("lesson__course_id", "student_id", "code__code", "code__reason"):
        codes[sid][code] += 1
        if reason != AbsenceCode.Reason.LATE:
            missed[(course_id, sid)] += 1
    held = _held(ids, period, today)
    finals = period_marks(student_ids=[s.pk for s in students], period=period)
    rows: list[dict[str, Any]] = []
    for s in students:
        cells = [
            _cell(
                marks[(c.pk, s.pk)],
                missed[(c.pk, s.pk)],
                held.get(c.pk, 0),
                finals.get((s.pk, c.pk)),
            )
            for c in courses
        ]
        risk, low = any(x["risk"] for x in cells), any(x["low"] for x in cells)
        rows.append(
            {
                "student": s,
                "cells": cells,
                "codes": codes[s.pk],
                "risk": risk,
                "low": low,
                "mean": _mean(cells),
                "absences": sum(x["missed"] for x in cells),
            }
        )
    all_codes = sorted({code for r in rows for code in r["codes"]})
    for r in rows:
        r["code_counts"] = [r["codes"].get(code, 0) for code in all_codes]
    return {**base, "courses": courses, "rows": _sorted(rows, sort), "codes": all_codes}


# --- attendance --------------------------------------------------------------------------------

SPANS = ("week", "month")


def _span_dates(day: datetime.date, span: str) -> tuple[datetime.date, datetime.date]:
    """The week (Monday–Saturday) or the calendar month around `day`."""
    if span == "month":
        first = day.replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        return first, following - datetime.timedelta(days=1)
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=5)


def class_attendance(
    *, school_class: SchoolClass, day: datetime.date, span: str = "week"
) -> dict[str, Any]:
    """The class's absences by day and by student over a week or a month: each student's codes
    on each day (school days, Sundays left out), totals by code per student and per day, and the
    school's codes for entering a reason (three queries)."""
    span = span if span in SPANS else "week"
    first, last = _span_dates(day, span)
    dates = [
        first + datetime.timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + datetime.timedelta(days=n)).weekday() < 6
    ]
    enrollments = (
        Enrollment.objects.filter(active_during(first, last), school_class=school_class)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student__middle_name", "pk")
    )
    students = list({e.student_id: e.student for e in enrollments}.values())
    cells: dict[tuple[int, datetime.date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for sid, date, code in Absence.objects.filter(
        school_id=school_class.school_id, student__in=students, lesson__date__range=(first, last)
    ).values_list("student_id", "lesson__date", "code__code"):
        cells[(sid, date)][code] += 1
    codes = list(
        AbsenceCode.objects.filter(school_id=school_class.school_id).order_by("position", "code")
    )
    order = [c.code for c in codes]
    rows: list[dict[str, Any]] = []
    for s in students:
        days = [sorted(cells[(s.pk, d)].items(), key=lambda kv: _pos(order, kv[0])) for d in dates]
        totals: dict[str, int] = defaultdict(int)
        for found in days:
            for code, n in found:
                totals[code] += n
        rows.append({"student": s, "days": days, "totals": [totals.get(c, 0) for c in order]})
    day_totals = [sum(n for r in rows for _c, n in r["days"][i]) for i in range(len(dates))]
    return {
        "school_class": school_class,
        "span": span,
        "first": first,
        "last": last,
        "day": day,
        "dates": dates,
        "rows": rows,
        "codes": codes,
        "day_totals": day_totals,
        "reasons": [c for c in codes if c.reason != AbsenceCode.Reason.LATE],
        "previous": first - datetime.timedelta(days=1),
        "next": last + datetime.timedelta(days=1),
    }


def _pos(order: list[str], code: str) -> int:
    return order.index(code) if code in order else len(order)
