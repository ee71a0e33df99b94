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

from otmetka.curriculum.models import Course
from otmetka.diary.selectors import class_periods, period_marks, pick_period
from otmetka.journal.grid import averages
from otmetka.journal.models import Absence, AbsenceCode, Lesson, Mark
from otmetka.people.models import Guardian
from otmetka.school.models import Enrollment, Period, SchoolClass

RISK_SHARE = Decimal("0.3")  # ≥ 30 % of a subject's lessons missed: the attestation risk (R25)
LOW_MEAN = Decimal(3)  # a mean below 3 is flagged


def _current(day: datetime.date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


def class_roster(*, school_class: SchoolClass) -> dict[str, Any]:
    """Today's students of the class with what their record lacks and their guardians (login
    issued, logged in, last seen), and the share of students with a guardian who has logged in
    (two queries)."""
    today = timezone.localdate()
    enrollments = (
        Enrollment.objects.filter(_current(today), school_class=school_class)
        .select_related("student__user")
        .order_by("student__last_name", "student__first_name", "student__middle_name", "pk")
    )
    students = [e.student for e in enrollments]
    links: dict[int, list[Guardian]] = defaultdict(list)
    guardians = (
        Guardian.objects.filter(school=school_class.school_id, student__in=students)
        .select_related("user")
        .order_by("relation", "user__last_name", "pk")
    )
    for g in guardians:
        links[g.student_id].append(g)
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
        rows.append({"student": s, "guardians": mine, "missing": missing,
                     "connected": any(g.user.last_login for g in mine)})  # fmt: skip
    connected = sum(1 for r in rows if r["connected"])
    share = round(100 * connected / len(rows)) if rows else 0
    return {"school_class": school_class, "rows": rows, "connected": connected, "share": share,
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


def class_summary(*, school_class: SchoolClass, chosen_period: Any = None) -> dict[str, Any]:
    """Students × subjects for a period: the weighted average (and the period mark when one
    exists), the count of 2s, absences by code; a student who missed ≥ 30 % of a subject's
    lessons, or whose mean in it is below 3, is flagged (six queries)."""
    today = timezone.localdate()
    periods = class_periods(school_class)
    period = pick_period(periods, chosen_period, today)
    base = {"school_class": school_class, "periods": periods, "period": period}
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
        rows.append({"student": s, "cells": cells, "codes": codes[s.pk], "risk": risk, "low": low})
    all_codes = sorted({code for r in rows for code in r["codes"]})
    for r in rows:
        r["code_counts"] = [r["codes"].get(code, 0) for code in all_codes]
    return {**base, "courses": courses, "rows": rows, "codes": all_codes}
