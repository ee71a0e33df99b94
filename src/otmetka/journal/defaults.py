"""The default tables of a school's journal: kinds of work with weights and absence codes."""

from decimal import Decimal

from django.db import transaction

from otmetka.journal.models import AbsenceCode, MarkKind
from otmetka.school.models import School

# (name, short, weight, written)
DEFAULT_MARK_KINDS: tuple[tuple[str, str, str, bool], ...] = (
    ("Ответ на уроке", "отв", "1", False),
    ("Самостоятельная работа", "с/р", "2", False),
    ("Практическая работа", "п/р", "2", False),
    ("Лабораторная работа", "л/р", "2", False),
    ("Проверочная работа", "пр", "2", True),
    ("Диктант", "дикт", "3", True),
    ("Сочинение", "соч", "3", True),
    ("Изложение", "изл", "3", True),
    ("Контрольная работа", "к/р", "3", True),
    ("Домашняя работа", "д/з", "1", False),
    ("Зачёт", "зач", "2", False),
)

# (code, name, reason)
DEFAULT_ABSENCE_CODES: tuple[tuple[str, str, str], ...] = (
    ("н", "Отсутствовал, причина неизвестна", AbsenceCode.Reason.UNKNOWN),
    ("б", "По болезни", AbsenceCode.Reason.ILLNESS),
    ("у", "По уважительной причине", AbsenceCode.Reason.VALID),
    ("нп", "Без уважительной причины", AbsenceCode.Reason.INVALID),
    ("оп", "Опоздание", AbsenceCode.Reason.LATE),
)


@transaction.atomic
def journal_defaults_ensure(*, school: School) -> None:
    """Create the default kinds of work and absence codes of a school that has none (idempotent)."""
    if not MarkKind.objects.filter(school=school).exists():
        MarkKind.objects.bulk_create(
            MarkKind(
                school=school,
                name=name,
                short=short,
                weight=Decimal(weight),
                is_written=written,
                position=(i + 1) * 10,
            )
            for i, (name, short, weight, written) in enumerate(DEFAULT_MARK_KINDS)
        )
    if not AbsenceCode.objects.filter(school=school).exists():
        AbsenceCode.objects.bulk_create(
            AbsenceCode(school=school, code=code, name=name, reason=reason, position=(i + 1) * 10)
            for i, (code, name, reason) in enumerate(DEFAULT_ABSENCE_CODES)
        )
