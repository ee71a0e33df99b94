"""The generated school year: quarters and vacations after the regulations' example."""

import datetime

from otmetka.school.calendar import Status, federal_status, year_bounds


def _working(day: datetime.date, step: int) -> datetime.date:
    """`day` or the nearest working day after it (step 1) or before it (step -1)."""
    while federal_status(day) is not Status.WORKING:
        day += datetime.timedelta(days=step)
    return day


def year_plan(start_year: int) -> tuple[list[tuple[datetime.date, datetime.date]], list[tuple]]:
    """Quarters and vacations of the year starting in `start_year` (regulations R29, after the
    2025/26 example): periods start and end on working days; the gaps between them are the
    vacations, plus a February week for grade 1."""
    first, last = year_bounds(start_year)
    y, n = start_year, start_year + 1
    date = datetime.date
    ends = [_working(d, -1) for d in (date(y, 10, 24), date(y, 12, 30), date(n, 3, 20))]
    starts = [_working(d, 1) for d in (date(y, 11, 5), date(n, 1, 9), date(n, 3, 30))]
    quarters = list(zip([first, *starts], [*ends, last], strict=True))
    day = datetime.timedelta(days=1)
    names = ("Осенние каникулы", "Зимние каникулы", "Весенние каникулы")
    vacations = [
        (name, quarters[i][1] + day, quarters[i + 1][0] - day, 1, 11)
        for i, name in enumerate(names)
    ]
    # Grade 1 rests one more week in February: Saturday before the third Monday to Sunday after.
    feb = datetime.date(start_year + 1, 2, 1)
    third_monday = feb + datetime.timedelta(days=(7 - feb.weekday()) % 7 + 14)
    extra = ("Дополнительные каникулы", third_monday - 2 * day, third_monday + 6 * day, 1, 1)
    return quarters, sorted([*vacations, extra], key=lambda v: v[1])
