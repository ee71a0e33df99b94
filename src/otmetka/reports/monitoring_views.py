"""The deputy's monitoring of journal keeping, its drill-down and exports, and the director's
page (read-only; deputy and director, the director's page the director only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from otmetka.access import reports as access
from otmetka.access.http import SchoolRequest
from otmetka.core.input import ID_MAX
from otmetka.reports import duties, monitoring, monitoring_exports, monitoring_lists
from otmetka.reports.views import XLSX, _download

BAR_WIDTH, CHART_HEIGHT = 9, 100
WORST_ON_PAGE = 30


class BadRange(Exception):
    pass


def _range(request: SchoolRequest) -> tuple[monitoring.Range, list[Any]]:
    """The asked range (BadRange for a bad one) and the school's periods for the quick links."""
    assert request.school is not None  # the access check came first
    periods = monitoring.school_periods(request.school)
    try:
        rng = monitoring.parse_range(
            request.GET.get("start"), request.GET.get("end"), periods, timezone.localdate()
        )
    except (ValueError, TypeError):
        raise BadRange from None
    return rng, periods


def _bad() -> HttpResponse:
    message = _("Dates are expected as YYYY-MM-DD, the end not before the start, at most 400 days.")
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def trend_bars(trend: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """SVG geometry of the weekly chart: three bars a week (topic, attendance, homework %)."""
    bars = []
    for i, week in enumerate(trend):
        c = week["counts"]
        for j, (series, pct) in enumerate(
            (("topic", c.topic_pct), ("attendance", c.attendance_pct), ("homework", c.homework_pct))
        ):
            height = int(pct or 0) * CHART_HEIGHT // 100
            bars.append(
                {
                    "x": i * 4 * BAR_WIDTH + j * BAR_WIDTH,
                    "y": CHART_HEIGHT - height,
                    "height": height,
                    "series": series,
                    "pct": pct,
                    "week": week["week"],
                }
            )
    return bars


def _text(value: Any, separator: str) -> str:
    """A figure as the page shows it: «—» for nothing to divide by, the locale's decimal mark."""
    if value is None:
        return "—"
    return str(value).replace(".", separator) if isinstance(value, Decimal) else str(value)


def table(rows: list[monitoring.Row], query: str) -> list[SafeString]:
    """The rows of a metrics table as HTML, built in Python (a school has ~500 journals and ~50
    teachers: 12 cells a row through the template engine were a third of the page's time), each
    with its drill-down link and the cells to highlight."""
    separator = str(formats.get_format("DECIMAL_SEPARATOR"))
    base = reverse("reports:monitoring") + "lessons/"
    found = []
    for row in rows:
        cells = [[_text(v, separator), ""] for v in monitoring_exports.metric_values(row)]
        if row.counts.lag is not None and row.counts.lag > 0:
            cells[8][1] = ' class="bad"'
        if row.counts.procedures_over:
            cells[9][1] = ' class="bad"'
        name: str = escape(row.name)
        if row.id is not None:
            name = f'<a href="{escape(f"{base}{row.kind}/{row.id}/?{query}")}">{name}</a>'
        tds = "".join(f"<td{css}>{escape(text)}</td>" for text, css in cells)
        # Every part is escaped above.
        found.append(mark_safe(f'<tr><th scope="row">{name}</th>{tds}</tr>'))
    return found


def difference_rows(differences: list[Any]) -> list[SafeString]:
    """The rows of the period marks unlike their suggestion as HTML, built in Python (a quarter
    of school-S has ~1,700: a reversed URL and a template row each took 0.24 s)."""
    base = reverse("grading:period_marks", args=[0]).removesuffix("0/")
    found = []
    for d in differences:
        url = escape(f"{base}{d.course_id}/?period={d.period_id}")
        found.append(
            mark_safe(  # every part is escaped
                f'<tr><th scope="row"><a href="{url}">{escape(d.course)}</a></th>'
                f"<td>{escape(d.period)}</td><td>{escape(d.student)}</td>"
                f'<td class="bad">{escape(d.value)}</td><td>{escape(d.suggestion)}</td></tr>'
            )
        )
    return found


def _label(rng: monitoring.Range) -> str:
    return f"{rng.start:%d.%m.%Y} — {rng.end:%d.%m.%Y}"


def _context(request: SchoolRequest) -> dict[str, Any]:
    assert request.school is not None
    rng, periods = _range(request)
    data = monitoring.monitoring(school=request.school, rng=rng)
    query = f"start={rng.start.isoformat()}&end={rng.end.isoformat()}"
    return {
        **data,
        "periods": periods,
        "query": query,
        "label": _label(rng),
        "bars": trend_bars(data["trend"]),
        "chart_width": max(1, len(data["trend"])) * 36,
        "header": monitoring_exports.metric_header(),
        "difference_rows": difference_rows(data["differences"]),
    }


@login_required
@require_GET
def page(request: SchoolRequest) -> HttpResponse:
    """The monitoring of journal keeping for a date range (default: the current period)."""
    access.monitoring_require(request.user, request.school)
    try:
        context = _context(request)
    except BadRange:
        return _bad()
    context["tables"] = {
        kind: table(context["rows"][kind], context["query"])
        for kind in ("school", "teacher", "class", "subject")
    }
    # ~500 journals in a school: the page lists the least filled, the XLSX every one.
    worst = monitoring.worst_journals(context["rows"]["course"], WORST_ON_PAGE)
    context["tables"]["course"] = table(worst, context["query"])
    return render(request, "reports/monitoring.html", context)


@login_required
@require_GET
def lessons(request: SchoolRequest, kind: str, pk: int) -> HttpResponse:
    """The drill-down: the lessons of a journal, teacher, class or subject in the range."""
    access.monitoring_require(request.user, request.school)
    assert request.school is not None
    if pk > ID_MAX:
        raise Http404
    try:
        rng, _periods = _range(request)
        target = monitoring_lists.drill_target(school=request.school, kind=kind, pk=pk)
        rows = monitoring_lists.lesson_list(school=request.school, rng=rng, kind=kind, pk=pk)
    except BadRange:
        return _bad()
    except LookupError:
        raise Http404 from None
    context = {
        "rows": rows,
        "label": _label(rng),
        "target": target,
        "range": rng,
        "query": f"start={rng.start.isoformat()}&end={rng.end.isoformat()}",
    }
    return render(request, "reports/monitoring_lessons.html", context)


@login_required
@require_GET
def xlsx(request: SchoolRequest) -> HttpResponse:
    """The monitoring of the range as an XLSX workbook."""
    access.monitoring_require(request.user, request.school)
    try:
        context = _context(request)
    except BadRange:
        return _bad()
    content = monitoring_exports.monitoring_xlsx(context, context["label"])
    return _download(content, XLSX, f"monitoring-{context['range'].start:%Y%m%d}.xlsx")


@login_required
@require_GET
def procedures_csv(request: SchoolRequest) -> HttpResponse:
    """The schedule of оценочные процедуры of the range as CSV, for the school's website."""
    access.monitoring_require(request.user, request.school)
    assert request.school is not None
    try:
        rng, _periods = _range(request)
    except BadRange:
        return _bad()
    schedule = monitoring.procedure_schedule(request.school, rng)
    content = monitoring_exports.procedures_csv(schedule)
    return _download(content, "text/csv; charset=utf-8", f"procedures-{rng.start:%Y%m%d}.csv")


@login_required
@require_GET
def director(request: SchoolRequest) -> HttpResponse:
    """The director's page: the school at a glance for the current period, the week's trend,
    the worst 10 journals, open debts and the order's duties with who holds them."""
    access.director_page_require(request.user, request.school)
    assert request.school is not None
    try:
        context = _context(request)
    except BadRange:
        return _bad()
    worst = monitoring.worst_journals(context["rows"]["course"])
    context["tables"] = {
        "school": table(context["rows"]["school"], context["query"]),
        "worst": table(worst, context["query"]),
    }
    context["debts"] = monitoring_lists.open_debts(school=request.school)
    context["duties"] = duties.duties(school=request.school)
    return render(request, "reports/director.html", context)
