"""Import of students with their guardians from an XLSX or CSV table (the lists schools keep:
ФИО, дата рождения, класс, СНИЛС, родители with phone and e-mail). All or nothing: every row is
checked first and a Russian report names each bad row; a dry run shows what would be created or
updated. A student already on the roll is found by name and date of birth."""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access.diary import live_links
from otmetka.access.rules import CHANGE, require
from otmetka.accounts.models import User
from otmetka.accounts.passwords import fold
from otmetka.audit.services import event_build, events_save, snapshot
from otmetka.core.tables import (
    NotATable,
    RowError,
    TableLimits,
    TableTooLarge,
    blank,
    cell_date,
    norm_header,
    read_table,
)
from otmetka.people.models import Guardian, Student
from otmetka.people.selectors import logins_suggest
from otmetka.people.snils import snils_format, snils_valid
from otmetka.school.models import Enrollment, School, SchoolClass
from otmetka.school.selectors import current_year

# The caps of the КТП import (curriculum.ktp.parse), with rows for a whole school in one file.
STUDENTS_MAX = 2000
HEADER_SEARCH_ROWS = 20
LIMITS = TableLimits(
    max_bytes=2 * 1024 * 1024,
    rows_max=STUDENTS_MAX + HEADER_SEARCH_ROWS,
    columns_max=30,
    unpacked_max=8 * 1024 * 1024,
    too_many_rows=lambda: _("The table has more than %(rows)s students.") % {"rows": STUDENTS_MAX},
)
NAME_MAX = 100

# Column → the header names schools write (compared case-, ё- and spacing-insensitively).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("фио", "фио обучающегося", "фио ученика", "обучающийся", "ученик"),
    "birth": ("дата рождения", "д/р", "дата рожд"),
    "class": ("класс",),
    "snils": ("снилс", "снилс обучающегося"),
    "g1": ("родитель", "родитель 1", "фио родителя", "фио родителя 1", "мать", "фио матери"),
    "g1_phone": ("телефон родителя", "телефон родителя 1", "телефон 1", "телефон матери",
                 "телефон"),
    "g1_email": ("e-mail родителя", "e-mail родителя 1", "email родителя 1", "e-mail", "email",
                 "почта", "e-mail матери"),
    "g2": ("родитель 2", "фио родителя 2", "отец", "фио отца"),
    "g2_phone": ("телефон родителя 2", "телефон 2", "телефон отца"),
    "g2_email": ("e-mail родителя 2", "email родителя 2", "e-mail отца"),
}  # fmt: skip
_SYNONYMS = {norm_header(name): key for key, names in HEADERS.items() for name in names}
_NAME = re.compile(r"^[A-Za-zА-Яа-яЁё' -]+$")
_CLASS = re.compile(r"^(\d{1,2})\s*[-\s]?\s*([А-Яа-яЁё]{1,4})$")


@dataclass
class GuardianRow:
    last_name: str
    first_name: str
    middle_name: str
    relation: str
    phone: str
    email: str


@dataclass
class PlanRow:
    """What one row of the file does: the student found (None: a new one), the class, the
    guardians, and the words for the report."""

    row: int
    last_name: str
    first_name: str
    middle_name: str
    birth_date: datetime.date
    school_class: SchoolClass
    snils: str
    guardians: list[GuardianRow]
    student: Student | None = None
    enroll: bool = True
    actions: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """The outcome: the planned rows, the problems, and whether anything was written."""

    rows: list[PlanRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows for a in r.actions if a == action)

    @property
    def counts(self) -> dict[str, int]:
        """How many students are created, updated, enrolled, and guardians created."""
        actions = ("student_create", "student_update", "enroll", "guardian_create")
        return {a: self.count(a) for a in actions}


def _label(key: str) -> str:
    return {
        "file": _("File"),
        "name": _("Full name"),
        "birth": _("Date of birth"),
        "class": _("Class"),
        "snils": _("SNILS"),
        "g1": _("Guardian 1"),
        "g2": _("Guardian 2"),
    }.get(key.split("_")[0], key)


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for column, cell in enumerate(cells):
            key = _SYNONYMS.get(norm_header(cell))
            if key and key not in found:
                found[key] = column
        if "name" in found and "birth" in found and "class" in found:
            return index, found
    return None


def _text(cells: list[Any], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    if index is None or index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def _names(text: str) -> tuple[str, str, str] | str:
    """Фамилия Имя [Отчество…] or a Russian problem."""
    parts = text.split(" ")
    if len(parts) < 2:
        return _("Write the last name and the first name (and the middle name, if any).")
    if not _NAME.match(text) or any(len(p) > NAME_MAX for p in parts):
        return _("A name may contain only letters, a hyphen and an apostrophe.")
    return parts[0], parts[1], " ".join(parts[2:])


def _phone(text: str) -> str | None:
    """+7XXXXXXXXXX from the ways people write a Russian number; None when it is not one."""
    digits = re.sub(r"[\s()+-]", "", text)
    if not digits.isdigit():
        return None
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    return f"+7{digits}" if len(digits) == 10 else None


class _Row:
    """Parses one row of the file into a PlanRow, collecting the row's problems."""

    def __init__(self, index: int, cells: list[Any], columns: dict[str, int], ctx: "_Ctx") -> None:
        self.index, self.cells, self.columns, self.ctx = index, cells, columns, ctx
        self.errors: list[RowError] = []

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.index, _label(key), message))

    def parse(self) -> PlanRow | None:
        names = _names(_text(self.cells, self.columns, "name"))
        if isinstance(names, str):
            self.error("name", names)
        birth = self._birth()
        school_class = self._class()
        snils = _text(self.cells, self.columns, "snils")
        if snils and not snils_valid(snils):
            self.error("snils", _("The SNILS is not valid: 11 digits with a correct checksum."))
        guardians = [g for g in (self._guardian("g1"), self._guardian("g2")) if g is not None]
        if self.errors or isinstance(names, str) or birth is None or school_class is None:
            return None
        return PlanRow(
            self.index,
            *names,
            birth,
            school_class,
            snils_format(snils) if snils else "",
            guardians,
        )

    def _birth(self) -> datetime.date | None:
        index = self.columns["birth"]
        raw = self.cells[index] if index < len(self.cells) else None
        if raw in (None, ""):
            self.error("birth", _("The date of birth is empty."))
            return None
        birth = cell_date(raw)
        if birth is None:
            self.error("birth", _("Not a date: write DD.MM.YYYY."))
            return None
        age = (timezone.localdate() - birth).days // 365
        if not 3 <= age <= 25:
            self.error(
                "birth", _("Check the date of birth: the student would be %(age)s.") % {"age": age}
            )
            return None
        return birth

    def _class(self) -> SchoolClass | None:
        text = _text(self.cells, self.columns, "class")
        match = _CLASS.match(text)
        found = self.ctx.classes.get((int(match[1]), match[2].upper())) if match else None
        if found is None:
            self.error(
                "class",
                _("There is no class «%(name)s» in the current academic year.") % {"name": text},
            )
        return found

    def _guardian(self, slot: str) -> GuardianRow | None:
        text = _text(self.cells, self.columns, slot)
        phone_text = _text(self.cells, self.columns, f"{slot}_phone")
        email = _text(self.cells, self.columns, f"{slot}_email")
        if not text:
            if phone_text or email:
                self.error(slot, _("A phone or e-mail is given without the guardian's name."))
            return None
        names = _names(text)
        if isinstance(names, str):
            self.error(slot, names)
        phone = _phone(phone_text) if phone_text else ""
        if phone is None:
            self.error(slot, _("The phone is not a Russian number: write +7 and 10 digits."))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.error(slot, _("The e-mail address is not valid."))
        if isinstance(names, str) or phone is None or self.errors:
            return None
        relation = self._relation(self.ctx.headers.get(slot, ""))
        return GuardianRow(*names, relation, phone, email)

    @staticmethod
    def _relation(header: str) -> str:
        if "мат" in header:
            return Guardian.Relation.MOTHER
        if "отц" in header or "отец" in header:
            return Guardian.Relation.FATHER
        return Guardian.Relation.OTHER


@dataclass
class _Ctx:
    """What every row is checked against: the current year's classes, the students on the
    roll by (folded name, birth date), and the file's header names."""

    classes: dict[tuple[int, str], SchoolClass]
    students: dict[tuple[str, datetime.date], Student]
    headers: dict[str, str]  # column → its header as written (normalised)


def _student_key(
    last: str, first: str, middle: str, birth: datetime.date | None
) -> tuple[str, Any]:
    return fold(" ".join(p for p in (last, first, middle) if p)), birth


def _context(school: School, headers: dict[str, str]) -> _Ctx:
    year = current_year(school=school)
    classes = {
        (c.grade, c.letter.upper()): c for c in SchoolClass.objects.filter(school=school, year=year)
    }
    students = {
        _student_key(s.last_name, s.first_name, s.middle_name, s.birth_date): s
        for s in Student.objects.filter(school=school, birth_date__isnull=False)
    }
    return _Ctx(classes, students, headers)


def _plan(school: School, rows: list[PlanRow], ctx: _Ctx, report: ImportReport) -> None:
    """Decide what each good row does: a new student or an update of one found on the roll."""
    today = timezone.localdate()
    current = {
        e.student_id: e
        for e in Enrollment.objects.active_on(today)
        .filter(school=school)
        .select_related("school_class")
    }
    known = {
        (link.student_id, fold(link.user.full_name))
        for link in Guardian.objects.filter(live_links(), school=school).select_related("user")
    }
    seen: dict[tuple[str, Any], int] = {}
    for row in rows:
        key = _student_key(row.last_name, row.first_name, row.middle_name, row.birth_date)
        if key in seen:
            message = _("The same student (name and date of birth) as in row %(row)s.")
            report.errors.append(RowError(row.row, _label("name"), message % {"row": seen[key]}))
            continue
        seen[key] = row.row
        row.student = ctx.students.get(key)
        enrollment = current.get(row.student.pk) if row.student else None
        if row.student is None:
            row.actions.append("student_create")
        elif enrollment is not None and enrollment.school_class_id != row.school_class.pk:
            message = _(
                "The student is already on the roll in class %(cls)s: record a transfer instead."
            )
            report.errors.append(
                RowError(row.row, _label("class"), message % {"cls": enrollment.school_class})
            )
            continue
        elif row.snils and row.snils != row.student.snils:
            row.actions.append("student_update")
        row.enroll = enrollment is None
        if row.enroll:
            row.actions.append("enroll")
        student_id = row.student.pk if row.student else None
        row.guardians = [
            g
            for g in row.guardians
            if (student_id, fold(f"{g.last_name} {g.first_name} {g.middle_name}".strip()))
            not in known
        ]
        row.actions += ["guardian_create"] * len(row.guardians)
        report.rows.append(row)


def people_parse(*, school: School, uploaded_file: Any) -> ImportReport:
    """Read and check the file; the report lists every bad row or what each good row does."""
    report = ImportReport()
    file_label = _label("file")
    try:
        rows = read_table(uploaded_file, LIMITS, lambda rs: _header(rs) is not None)
    except (TableTooLarge, NotATable) as error:
        report.errors.append(RowError(0, file_label, str(error)))
        return report
    found = _header(rows)
    if found is None:
        message = _(
            "No header row found: the table needs the columns «ФИО», «Дата рождения», «Класс»."
        )
        report.errors.append(RowError(0, file_label, message))
        return report
    start, columns = found
    headers = {key: norm_header(rows[start][index]) for key, index in columns.items()}
    ctx = _context(school, headers)
    parsed: list[PlanRow] = []
    for index, cells in enumerate(rows[start + 1 :], start=start + 2):
        if blank(cells):
            continue
        parser = _Row(index, cells, columns, ctx)
        row = parser.parse()
        report.errors += parser.errors
        if row is not None:
            parsed.append(row)
    if not parsed and not report.errors:
        report.errors.append(
            RowError(0, file_label, _("The table has no students under its header."))
        )
    _plan(school, parsed, ctx, report)
    report.errors.sort(key=lambda e: e.row)
    return report


# --- writing ------------------------------------------------------------------------------------


def _guardian_key(g: GuardianRow) -> tuple[str, str]:
    return fold(f"{g.last_name} {g.first_name} {g.middle_name}"), g.phone or g.email.lower()


def _guardian_users(actor: User, school: School, rows: list[PlanRow]) -> dict[Any, User]:
    """New accounts of the file's new guardians (one per name with phone or e-mail, so that the
    parent of two children gets one login), without passwords: slips issue them."""
    people: dict[Any, GuardianRow] = {}
    for row in rows:
        for g in row.guardians:
            people.setdefault(_guardian_key(g), g)
    names = [(g.last_name, g.first_name, g.middle_name) for g in people.values()]
    users = {
        key: User(username=login, last_name=g.last_name, first_name=g.first_name,
                  middle_name=g.middle_name, email=g.email)
        for (key, g), login in zip(people.items(), logins_suggest(names), strict=True)
    }  # fmt: skip
    for user in users.values():
        user.set_unusable_password()
    User.objects.bulk_create(users.values())
    fields = ("username", "last_name", "first_name", "middle_name", "email")
    events_save(
        [
            event_build(
                actor=actor,
                action="user_create",
                obj=u,
                after={f: getattr(u, f) for f in fields},
                school_id=school.pk,
            )
            for u in users.values()
        ]
    )
    return users


def _write(
    *, actor: User, school: School, rows: list[PlanRow], start: datetime.date, order_ref: str
) -> None:
    """Create and update everything the plan says, each row with its audit event."""
    new = [r for r in rows if r.student is None]
    for r in new:
        r.student = Student(
            school=school, last_name=r.last_name, first_name=r.first_name,
            middle_name=r.middle_name, birth_date=r.birth_date, snils=r.snils,
        )  # fmt: skip
    Student.objects.bulk_create([r.student for r in new if r.student is not None])
    events = [
        event_build(actor=actor, action="student_create", obj=r.student, after=snapshot(r.student))
        for r in new
        if r.student is not None
    ]
    changed = [r for r in rows if "student_update" in r.actions and r.student is not None]
    for r in changed:
        assert r.student is not None
        before = snapshot(r.student)
        r.student.snils = r.snils
        events.append(
            event_build(
                actor=actor,
                action="student_update",
                obj=r.student,
                before=before,
                after=snapshot(r.student),
            )
        )
    Student.objects.bulk_update([r.student for r in changed if r.student is not None], ["snils"])
    enrollments = [
        Enrollment(school=school, student=r.student, school_class=r.school_class, start=start,
                   order_ref=order_ref)
        for r in rows
        if r.enroll
    ]  # fmt: skip
    Enrollment.objects.bulk_create(enrollments)
    events += [
        event_build(actor=actor, action="student_arrive", obj=e, after=snapshot(e))
        for e in enrollments
    ]
    users = _guardian_users(actor, school, rows)
    links = [
        Guardian(school=school, student=r.student, user=users[_guardian_key(g)],
                 relation=g.relation, phone=g.phone)
        for r in rows
        for g in r.guardians
    ]  # fmt: skip
    Guardian.objects.bulk_create(links, ignore_conflicts=False)
    events += [
        event_build(actor=actor, action="guardian_link", obj=link, after=snapshot(link))
        for link in links
    ]
    events_save(events)


def people_import(
    *,
    actor: User,
    school: School,
    uploaded_file: Any,
    start: datetime.date,
    order_ref: str = "",
    dry_run: bool = True,
) -> ImportReport:
    """Check the file and, unless `dry_run` or any row is bad, write it all in one transaction:
    new students enrolled from `start` (by the order `order_ref`), SNILS of students found on
    the roll, new guardians with their logins (no passwords: print slips for them). One more
    event, on the school, sums the import up."""
    require(actor, school, "student", CHANGE)
    require(actor, school, "guardian", CHANGE)
    report = people_parse(school=school, uploaded_file=uploaded_file)
    year = current_year(school=school)
    if year is None or not year.start <= start <= year.end:
        message = _("The arrival date must lie inside the current academic year.")
        report.errors.insert(0, RowError(0, _label("file"), message))
    if len(order_ref) > 100:
        report.errors.insert(
            0, RowError(0, _label("file"), _("The order is at most 100 characters."))
        )
    if dry_run or not report.ok:
        return report
    with transaction.atomic():
        _write(actor=actor, school=school, rows=report.rows, start=start, order_ref=order_ref)
        summary = event_build(actor=actor, action="people_import", obj=school, after=report.counts)
        events_save([summary])
    report.written = True
    return report
