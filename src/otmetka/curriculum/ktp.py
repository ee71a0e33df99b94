"""КТП (calendar-thematic plan): import from XLSX/CSV, editing, copying, plan vs delivered."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access.rules import CHANGE, can, scoped
from otmetka.audit.services import event_record, snapshot
from otmetka.curriculum.models import Course, PlannedTopic, ThematicPlan
from otmetka.journal.models import Lesson

MAX_FILE_SIZE = 2 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
# A course has at most ~210 lessons a year (6 a week × 35 weeks); 1000 topics leave room for
# hour-by-hour plans and joined years while a page of them still renders in a blink. A file is
# read row by row and only up to these caps, whatever size its sheet declares.
TOPICS_MAX = 1000
ROWS_MAX = TOPICS_MAX + HEADER_SEARCH_ROWS
COLUMNS_MAX = 30
UNPACKED_MAX = 8 * 1024 * 1024  # an XLSX unpacked (a real КТП: < 1 MB; bombs refused unopened)
_SHIFT = 1_000_000  # positions are moved out of the way before renumbering (unique constraint)

# Column → the header names teachers write (compared case- and spacing-insensitively).
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("№", "№ п/п", "n", "номер", "№ урока", "номер урока", "no"),
    "title": ("тема урока", "тема", "темы уроков", "тема занятия"),
    "hours": ("кол-во часов", "количество часов", "часы", "часов", "кол. часов", "кол-во ч"),
    "date": ("дата", "дата проведения", "дата по плану", "планируемая дата", "дата (план)"),
    "kind": ("вид работы", "контроль", "примечание", "вид контроля", "формы контроля"),
}
CONTROL_WORDS = ("контрол", "к/р", "проверочн", "диктант", "зачёт", "зачет", "тест", "экзамен")


def _column_label(key: str) -> str:
    return {
        "number": "№",
        "title": _("Lesson topic"),
        "hours": _("Hours"),
        "date": _("Date"),
        "kind": _("Work kind"),
        "file": _("File"),
    }[key]


# --- access ---------------------------------------------------------------------------------


def course_readable(*, user: Any, school: Any, course_id: Any) -> Course:
    """The course by id if the user may open its journal; 404 otherwise."""
    qs = Course.objects.select_related("subject", "school_class", "year", "school")
    try:
        return scoped(qs, user, school, "course").get(pk=course_id)
    except (Course.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def plan_writable(*, user: Any, course: Course) -> bool:
    """The course's teachers and users who change courses school-wide write the КТП."""
    if can(user, course.school, "course", CHANGE):
        return True
    return bool(getattr(user, "pk", None)) and course.teachers.filter(pk=user.pk).exists()


def _require_write(actor: Any, course: Course) -> None:
    if plan_writable(user=actor, course=course):
        return
    if scoped(Course.objects.filter(pk=course.pk), actor, course.school, "course").exists():
        raise PermissionDenied
    raise Http404


def course_writable(*, user: Any, school: Any, course_id: Any) -> Course:
    """The course by id for writing its plan: 404 when unreadable, 403 when read-only."""
    course = course_readable(user=user, school=school, course_id=course_id)
    if not plan_writable(user=user, course=course):
        raise PermissionDenied
    return course


def _plan(course: Course) -> ThematicPlan:
    plan, _created = ThematicPlan.objects.get_or_create(
        course=course, defaults={"school_id": course.school_id}
    )
    return plan


# --- import ---------------------------------------------------------------------------------


@dataclass
class RowError:
    """One problem of an imported file: row number (0 = the whole file), column, message."""

    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """The outcome of an import: how many topics were written and the problems found."""

    topics: int = 0
    replaced: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class PlanImportError(ValidationError):
    """A refused import; `report.errors` lists every bad row."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(
            [
                f"{_('Row')} {e.row}, {e.column}: {e.message}" if e.row else e.message
                for e in report.errors
            ]
        )


@dataclass
class _Row:
    row: int
    title: str
    hours: int
    planned_date: datetime.date | None
    work_kind: str


def _norm(value: Any) -> str:
    text = str(value if value is not None else "").replace("ё", "е").replace("Ё", "Е")
    text = re.sub(r"\s+", " ", text).strip().lower().rstrip(".:")
    return text.replace(" - ", "-")


_SYNONYMS = {_norm(name): key for key, names in HEADERS.items() for name in names}


def _header_map(cells: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _SYNONYMS.get(_norm(cell))
        if key and key not in found:
            found[key] = index
    return found


class TableTooLarge(ValueError):
    """A file over a cap of the import; the message names the cap."""


def _too_many_rows() -> TableTooLarge:
    return TableTooLarge(
        _("The table has more than %(rows)s rows: a plan holds at most %(topics)s topics.")
        % {"rows": ROWS_MAX, "topics": TOPICS_MAX}
    )


def _capped(rows: Any) -> list[list[Any]]:
    """The first ROWS_MAX rows, each cut to COLUMNS_MAX cells; one row more is refused."""
    kept: list[list[Any]] = []
    for cells in rows:
        if len(kept) == ROWS_MAX:
            raise _too_many_rows()
        kept.append(list(cells[:COLUMNS_MAX]))
    return kept


def _read_xlsx(data: bytes) -> list[list[Any]]:
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(i.file_size for i in archive.infolist()) > UNPACKED_MAX:
            raise TableTooLarge(
                _("The file unpacks to more than %(mb)s MB.") % {"mb": UNPACKED_MAX // 2**20}
            )
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        if (sheet.max_row or 0) > ROWS_MAX:  # the declared <dimension>: refused unread
            raise _too_many_rows()
        return _capped(sheet.iter_rows(max_col=COLUMNS_MAX, values_only=True))
    finally:
        book.close()


def _decode(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="strict")


def _read_csv(text: str) -> list[list[Any]]:
    best: list[list[Any]] = []
    for sep in (";", ","):
        rows = _capped(csv.reader(io.StringIO(text), delimiter=sep))
        if any("title" in _header_map(r) for r in rows[:HEADER_SEARCH_ROWS]):
            return rows
        best = best or rows
    return best


def _file_rows(uploaded_file: Any, report: ImportReport) -> list[list[Any]] | None:
    """The file's rows as lists of cells, or None with a file-level error in the report."""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_FILE_SIZE:
        report.errors.append(RowError(0, _column_label("file"), _("The file is larger than 2 MB.")))
        return None
    data = uploaded_file.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        report.errors.append(RowError(0, _column_label("file"), _("The file is larger than 2 MB.")))
        return None
    name = (getattr(uploaded_file, "name", "") or "").lower()
    not_table = _("The file is not an XLSX or CSV table.")
    try:
        if data.startswith(b"PK"):
            return _read_xlsx(data)
        if name.endswith((".xlsx", ".xls", ".ods", ".doc", ".docx", ".pdf")):
            raise ValueError
        text = _decode(data)
        if text is None or not text.strip():
            raise ValueError
        return _read_csv(text)
    except TableTooLarge as error:
        report.errors.append(RowError(0, _column_label("file"), str(error)))
        return None
    except (ValueError, KeyError, OSError, zipfile.BadZipFile, UnicodeDecodeError, csv.Error):
        report.errors.append(RowError(0, _column_label("file"), not_table))
        return None
    except Exception:  # openpyxl raises many kinds on a broken workbook
        report.errors.append(RowError(0, _column_label("file"), not_table))
        return None


def _blank(cells: list[Any]) -> bool:
    return all(c is None or str(c).strip() == "" for c in cells)


def _cell(cells: list[Any], columns: dict[str, int], key: str) -> Any:
    index = columns.get(key)
    if index is None or index >= len(cells):
        return None
    value = cells[index]
    return value.strip() if isinstance(value, str) else value


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal) and value == int(value):
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\d+([.,]0+)?", value):
        return int(re.split(r"[.,]", value)[0])
    return None


def _date(value: Any) -> datetime.date | None:
    """A date from a cell: a real date, an Excel serial number, ДД.ММ.ГГГГ or ISO text."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 100000:
        return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
    text = str(value).strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _parse_row(
    index: int, cells: list[Any], columns: dict[str, int], course: Course, report: ImportReport
) -> tuple[_Row | None, int | None]:
    bad = len(report.errors)
    number = None
    if "number" in columns and _cell(cells, columns, "number") not in (None, ""):
        number = _whole(_cell(cells, columns, "number"))
        if number is None or number < 1:
            report.errors.append(
                RowError(index, "№", _("The number is not a positive whole number."))
            )
    title = str(_cell(cells, columns, "title") or "").strip()
    if not title:
        report.errors.append(
            RowError(index, _column_label("title"), _("The lesson topic is empty."))
        )
    elif len(title) > 500:
        report.errors.append(
            RowError(index, _column_label("title"), _("The topic is longer than 500 characters."))
        )
    raw_hours = _cell(cells, columns, "hours") if "hours" in columns else 1
    hours = _whole(raw_hours) if raw_hours not in (None, "") else None
    if hours is None or not 1 <= hours <= 100:
        report.errors.append(
            RowError(index, _column_label("hours"), _("The hours are not a positive whole number."))
        )
    raw_date = _cell(cells, columns, "date")
    planned = None
    if raw_date not in (None, ""):
        planned = _date(raw_date)
        if planned is None:
            report.errors.append(
                RowError(index, _column_label("date"), _("Not a date: write DD.MM.YYYY."))
            )
        elif not course.year.start <= planned <= course.year.end:
            report.errors.append(
                RowError(
                    index,
                    _column_label("date"),
                    _("The date %(date)s is outside the academic year %(year)s.")
                    % {"date": planned.strftime("%d.%m.%Y"), "year": course.year.name},
                )
            )
    kind = str(_cell(cells, columns, "kind") or "").strip()[:100]
    if len(report.errors) > bad:
        return None, number
    return _Row(index, title, hours or 1, planned, kind), number


def _parse(uploaded_file: Any, course: Course, report: ImportReport) -> list[_Row]:
    rows = _file_rows(uploaded_file, report)
    if rows is None:
        return []
    start, columns = None, {}
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = _header_map(cells)
        if "title" in columns:
            start = i
            break
    if start is None:
        report.errors.append(
            RowError(
                0,
                _column_label("file"),
                _(
                    "No header row found: the table needs the columns "
                    "«№», «Тема урока», «Кол-во часов»."
                ),
            )
        )
        return []
    parsed: list[_Row] = []
    numbers: dict[int, int] = {}
    for offset, cells in enumerate(rows[start + 1 :], start=start + 2):
        if _blank(list(cells)):
            continue
        row, number = _parse_row(offset, list(cells), columns, course, report)
        if number is not None and number >= 1:
            if number in numbers:
                report.errors.append(
                    RowError(
                        offset,
                        "№",
                        _("The number %(number)s repeats the one of row %(row)s.")
                        % {"number": number, "row": numbers[number]},
                    )
                )
                row = None
            else:
                numbers[number] = offset
        if row is not None:
            parsed.append(row)
    if not parsed and not report.errors:
        report.errors.append(
            RowError(0, _column_label("file"), _("The table has no topics under its header."))
        )
    if len(parsed) > TOPICS_MAX:
        report.errors.append(RowError(0, _column_label("file"), _too_many_topics()))
    return parsed


def _too_many_topics() -> str:
    return _("A plan holds at most %(topics)s topics.") % {"topics": TOPICS_MAX}


def _is_control(kind: str) -> bool:
    low = kind.lower()
    return any(word in low for word in CONTROL_WORDS)


def _renumber(plan: ThematicPlan, ordered: list[PlannedTopic]) -> None:
    """Give `ordered` the positions 1..n, touching only the rows whose number changes (moved out
    of the way first: positions are unique within a plan)."""
    changed = [(n, t) for n, t in enumerate(ordered, start=1) if t.position != n]
    if not changed:
        return
    ids = [t.pk for _n, t in changed]
    PlannedTopic.objects.filter(plan=plan, pk__in=ids).update(position=F("position") + _SHIFT)
    for number, topic in changed:
        PlannedTopic.objects.filter(pk=topic.pk).update(position=number)
        topic.position = number


def _referenced_ids(topic_ids: list[int]) -> set[int]:
    return set(
        Lesson.objects.filter(planned_topic_id__in=topic_ids).values_list(
            "planned_topic_id", flat=True
        )
    )


def _write_rows(
    *, plan: ThematicPlan, rows: list[dict[str, Any]], replace: bool
) -> tuple[int, int]:
    """Write topic rows into the plan; returns (written, replaced). When replacing, a topic that
    lessons point to keeps its row (updated in place by number, so the lessons stay linked);
    refuses when such a topic would disappear."""
    if len(rows) > TOPICS_MAX:
        raise ValidationError(_too_many_topics())
    existing = list(PlannedTopic.objects.filter(plan=plan).order_by("position"))
    if existing and not replace:
        raise ValidationError(
            _("The plan already has topics. Tick «Replace existing topics» to overwrite them.")
        )
    used = _referenced_ids([t.pk for t in existing])
    dropped = [t for t in existing[len(rows) :] if t.pk in used]
    if dropped:
        titles = ", ".join(f"{t.position}. {t.title}" for t in dropped)
        raise ValidationError(
            _("Lessons point to topics the new plan drops: %(titles)s.") % {"titles": titles}
        )
    PlannedTopic.objects.filter(plan=plan).exclude(pk__in=used).delete()
    PlannedTopic.objects.filter(plan=plan).update(position=F("position") + _SHIFT)
    new = []
    for number, row in enumerate(rows, start=1):
        old = existing[number - 1] if number <= len(existing) else None
        if old is not None and old.pk in used:
            PlannedTopic.objects.filter(pk=old.pk).update(position=number, **row)
        else:
            new.append(PlannedTopic(school_id=plan.school_id, plan=plan, position=number, **row))
    PlannedTopic.objects.bulk_create(new)
    plan.save(update_fields=["updated_at"])
    return len(rows), len(existing)


def plan_import(
    *, actor: Any, course: Course, uploaded_file: Any, replace: bool = False
) -> ImportReport:
    """Load a КТП from an XLSX or CSV file: all rows or nothing; raises PlanImportError listing
    every bad row."""
    _require_write(actor, course)
    report = ImportReport()
    rows = _parse(uploaded_file, course, report)
    if report.errors:
        raise PlanImportError(report)
    data = [
        {
            "title": r.title,
            "hours": r.hours,
            "planned_date": r.planned_date,
            "work_kind": r.work_kind,
            "is_control": _is_control(r.work_kind),
        }
        for r in rows
    ]
    with transaction.atomic():
        plan = _plan(course)
        report.topics, report.replaced = _write_rows(plan=plan, rows=data, replace=replace)
        event_record(
            actor=actor,
            action="ktp_import",
            obj=plan,
            before={"topics": report.replaced},
            after={"topics": report.topics, "file": getattr(uploaded_file, "name", "")},
        )
    return report


# --- editing --------------------------------------------------------------------------------


def _topic_problems(*, course: Course, title: str, hours: Any, planned_date: Any) -> None:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("The lesson topic is empty.")]
    elif len(title.strip()) > 500:
        errors["title"] = [_("The topic is longer than 500 characters.")]
    if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= 100:
        errors["hours"] = [_("The hours are not a positive whole number.")]
    if planned_date and not course.year.start <= planned_date <= course.year.end:
        errors["planned_date"] = [
            _("The date %(date)s is outside the academic year %(year)s.")
            % {"date": planned_date.strftime("%d.%m.%Y"), "year": course.year.name}
        ]
    if errors:
        raise ValidationError(errors)


def plan_topic_add(
    *,
    actor: Any,
    course: Course,
    title: str,
    hours: int = 1,
    planned_date: datetime.date | None = None,
    work_kind: str = "",
    position: int | None = None,
) -> PlannedTopic:
    """Add a topic at the end of the plan (or before the topic now at `position`)."""
    _require_write(actor, course)
    _topic_problems(course=course, title=title, hours=hours, planned_date=planned_date)
    with transaction.atomic():
        plan = _plan(course)
        ordered = list(PlannedTopic.objects.filter(plan=plan).order_by("position"))
        if len(ordered) >= TOPICS_MAX:
            raise ValidationError(_too_many_topics())
        at = len(ordered) if position is None else max(0, min(position - 1, len(ordered)))
        topic = PlannedTopic(
            school_id=course.school_id,
            plan=plan,
            position=_SHIFT * 2,
            title=title.strip(),
            hours=hours,
            planned_date=planned_date,
            work_kind=work_kind.strip()[:100],
            is_control=_is_control(work_kind),
        )
        topic.save()
        ordered.insert(at, topic)
        _renumber(plan, ordered)
        plan.save(update_fields=["updated_at"])
        event_record(actor=actor, action="ktp_topic_add", obj=topic, after=snapshot(topic))
    return topic


def plan_topic_change(
    *,
    actor: Any,
    topic: PlannedTopic,
    title: str,
    hours: int,
    planned_date: datetime.date | None = None,
    work_kind: str = "",
) -> PlannedTopic:
    """Change a topic's title, hours, planned date or work kind."""
    course = topic.plan.course
    _require_write(actor, course)
    _topic_problems(course=course, title=title, hours=hours, planned_date=planned_date)
    before = snapshot(topic)
    topic.title, topic.hours, topic.planned_date = title.strip(), hours, planned_date
    topic.work_kind = work_kind.strip()[:100]
    topic.is_control = _is_control(topic.work_kind)
    with transaction.atomic():
        topic.save()
        event_record(
            actor=actor, action="ktp_topic_change", obj=topic, before=before, after=snapshot(topic)
        )
    return topic


def plan_topic_move(*, actor: Any, topic: PlannedTopic, position: int) -> PlannedTopic:
    """Move a topic to another number; the others shift to make room."""
    plan = topic.plan
    _require_write(actor, plan.course)
    before = snapshot(topic)
    with transaction.atomic():
        ordered = [t for t in PlannedTopic.objects.filter(plan=plan).order_by("position")]
        mine = next(t for t in ordered if t.pk == topic.pk)
        ordered.remove(mine)
        ordered.insert(max(0, min(position - 1, len(ordered))), mine)
        _renumber(plan, ordered)
        topic.position = mine.position
        event_record(
            actor=actor, action="ktp_topic_move", obj=topic, before=before, after=snapshot(mine)
        )
    return topic


def plan_topic_delete(*, actor: Any, topic: PlannedTopic) -> None:
    """Delete a topic no lesson points to; the following topics move up."""
    plan = topic.plan
    _require_write(actor, plan.course)
    if Lesson.objects.filter(planned_topic=topic).exists():
        raise ValidationError(_("Lessons already point to this topic: it cannot be deleted."))
    before = snapshot(topic)
    with transaction.atomic():
        event_record(actor=actor, action="ktp_topic_delete", obj=topic, before=before)
        topic.delete()
        _renumber(plan, list(PlannedTopic.objects.filter(plan=plan).order_by("position")))
        plan.save(update_fields=["updated_at"])


# --- copying --------------------------------------------------------------------------------


def copy_sources(*, user: Any, course: Course) -> QuerySet[Course]:
    """Courses whose plan may be copied into `course`: the user's other courses and earlier
    years' courses of the same subject and grade, each with a non-empty plan."""
    q = Q(teachers__id=user.pk)
    if course.school_class_id:
        q |= Q(
            subject_id=course.subject_id,
            school_class__grade=course.school_class.grade,
            year__start__lt=course.year.start,
        )
    has_topics = Exists(PlannedTopic.objects.filter(plan__course=OuterRef("pk")))
    ids = Course.objects.filter(q, school=course.school).exclude(pk=course.pk).values("pk")
    return (
        Course.objects.filter(pk__in=ids)
        .filter(has_topics)
        .annotate(topic_count=Count("plan__topics"))
        .select_related("subject", "school_class", "year")
        .order_by("-year__start", "subject__position", "school_class__grade", "pk")
    )


def copy_source(*, user: Any, course: Course, source_id: Any) -> Course:
    """One eligible source course of `course` by id; 404 otherwise."""
    try:
        return copy_sources(user=user, course=course).get(pk=source_id)
    except (Course.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def plan_copy(
    *, actor: Any, source_course: Course, target_course: Course, replace: bool = False
) -> int:
    """Copy the plan of an eligible course into the target (dates kept within the same year
    only); refuses when the target has topics unless `replace`. Returns the topic count."""
    _require_write(actor, target_course)
    if not copy_sources(user=actor, course=target_course).filter(pk=source_course.pk).exists():
        raise Http404
    same_year = source_course.year_id == target_course.year_id
    rows = [
        {
            "title": t.title,
            "hours": t.hours,
            "planned_date": t.planned_date if same_year else None,
            "work_kind": t.work_kind,
            "is_control": t.is_control,
        }
        for t in PlannedTopic.objects.filter(plan__course=source_course).order_by("position")
    ]
    with transaction.atomic():
        plan = _plan(target_course)
        written, replaced = _write_rows(plan=plan, rows=rows, replace=replace)
        event_record(
            actor=actor,
            action="ktp_copy",
            obj=plan,
            before={"topics": replaced},
            after={"topics": written, "source_course": source_course.pk},
        )
    return written


# --- selectors ------------------------------------------------------------------------------


def plan_for(course: Course) -> list[PlannedTopic]:
    """The topics of the course's plan in order, at most TOPICS_MAX (one query)."""
    return list(PlannedTopic.objects.filter(plan__course=course).order_by("position")[:TOPICS_MAX])


def topic_of(*, course: Course, topic_id: Any) -> PlannedTopic:
    """A topic of this course's plan; 404 otherwise."""
    try:
        return PlannedTopic.objects.select_related(
            "plan__course__school", "plan__course__year"
        ).get(pk=topic_id, plan__course=course)
    except (PlannedTopic.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _delivered_lessons(course: Course, period: Any = None) -> QuerySet[Lesson]:
    qs = Lesson.objects.filter(course=course).exclude(topic="")
    qs = qs.exclude(status=Lesson.Status.CANCELLED)
    if period is not None:
        qs = qs.filter(date__gte=period.start, date__lte=period.end)
    return qs


@dataclass
class PlanRow:
    """A topic with the lessons delivered for it."""

    topic: PlannedTopic
    delivered: int
    overdue: bool


@dataclass
class PlanVsDelivered:
    """Per-topic rows and totals: planned hours, held hours, lag by planned dates up to today."""

    rows: list[PlanRow]
    planned_hours: int
    held_hours: int
    due_hours: int
    lag: int
    truncated: bool = False  # the plan has more than TOPICS_MAX topics; only those are shown


def plan_vs_delivered(*, course: Course, period: Any = None) -> PlanVsDelivered:
    """Plan against lessons held (a lesson counts when it has a topic); two queries."""
    today = timezone.localdate()
    delivered = _delivered_lessons(course, period)
    lesson_filter = Q(lesson__pk__in=delivered.values("pk"))
    topics = PlannedTopic.objects.filter(plan__course=course)
    if period is not None:
        topics = topics.filter(planned_date__gte=period.start, planned_date__lte=period.end)
    topics = topics.annotate(delivered=Count("lesson", filter=lesson_filter)).order_by("position")
    # A page shows at most TOPICS_MAX topics (one more is read to know there are more): an
    # older plan over the cap cannot make the page slow.
    topics = list(topics[: TOPICS_MAX + 1])
    truncated = len(topics) > TOPICS_MAX
    rows = [
        PlanRow(
            topic=t,
            delivered=t.delivered,
            overdue=bool(t.planned_date and t.planned_date <= today and t.delivered < t.hours),
        )
        for t in topics[:TOPICS_MAX]
    ]
    held = delivered.filter(date__lte=today).count()
    planned = sum(r.topic.hours for r in rows)
    due = sum(r.topic.hours for r in rows if r.topic.planned_date and r.topic.planned_date <= today)
    return PlanVsDelivered(
        rows=rows,
        planned_hours=planned,
        held_hours=held,
        due_hours=due,
        lag=max(0, due - held),
        truncated=truncated,
    )


def next_planned_topics(*, course: Course, n: int = 3) -> list[PlannedTopic]:
    """The first `n` topics, in order, that no lesson with a topic points to yet (one query)."""
    done = _delivered_lessons(course).filter(planned_topic=OuterRef("pk"))
    return list(
        PlannedTopic.objects.filter(plan__course_id=course.pk)
        .filter(~Exists(done))
        .order_by("position")[:n]
    )
