"""The words of a deadline, translated once per process and language: each language keeps its
own, the plural forms follow the number, and the day is told relative to today."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from otmetka.compliance.deadlines import Status, Verdict
from otmetka.compliance.selectors import deadline_words

ZONE = ZoneInfo("Europe/Moscow")
NOW = datetime.datetime(2026, 11, 20, 14, tzinfo=datetime.UTC)  # 17:00 in Moscow


def _due(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, 0, tzinfo=ZONE)


@pytest.mark.parametrize(
    ("verdict", "russian", "english"),
    [
        (Verdict("topic", _due(19, 16), Status.MISSING, NOW - _due(19, 16)),
         "просрочено на 1 день", "overdue by 1 day"),
        (Verdict("topic", _due(15, 16), Status.MISSING, NOW - _due(15, 16)),
         "просрочено на 5 дней", "overdue by 5 days"),
        (Verdict("topic", _due(18, 16), Status.LATE, datetime.timedelta(days=2, hours=3)),
         "просрочено на 2 дня", "overdue by 2 days"),
        (Verdict("topic", _due(20, 16), Status.MISSING, NOW - _due(20, 16)),
         "просрочено на 1 ч", "overdue by 1 hour"),
        (Verdict("topic", _due(20, 18), Status.PENDING), "до 18:00 сегодня", "by 18:00 today"),
        (Verdict("topic", _due(21, 16), Status.PENDING), "до 16:00 завтра", "by 16:00 tomorrow"),
        (Verdict("topic", _due(25, 23), Status.PENDING), "до 23:00 25.11.2026",
         "by 23:00 on 25.11.2026"),
    ],
)  # fmt: skip
def test_words_in_each_language(verdict: Verdict, russian: str, english: str) -> None:
    for _twice in range(2):
        with translation.override("ru"):
            assert deadline_words(verdict, NOW, ZONE) == russian
        with translation.override("en"):
            assert deadline_words(verdict, NOW, ZONE) == english
