"""КТП (calendar-thematic plan) of a course: import from XLSX/CSV (`parse`), writes (`services`)
and reads (`selectors`); its progress against the lessons held is the journal's
(`journal.progress`), its rights are access's (`access.rules.plan_*`)."""

from otmetka.curriculum.ktp.parse import (
    MAX_FILE_SIZE,
    TOPICS_MAX,
    ImportReport,
    PlanImportError,
    RowError,
)
from otmetka.curriculum.ktp.selectors import copy_source, copy_sources, plan_for, topic_of
from otmetka.curriculum.ktp.services import (
    plan_copy,
    plan_import,
    plan_topic_add,
    plan_topic_change,
    plan_topic_delete,
    plan_topic_move,
)

__all__ = [
    "MAX_FILE_SIZE",
    "TOPICS_MAX",
    "ImportReport",
    "PlanImportError",
    "RowError",
    "copy_source",
    "copy_sources",
    "plan_copy",
    "plan_for",
    "plan_import",
    "plan_topic_add",
    "plan_topic_change",
    "plan_topic_delete",
    "plan_topic_move",
    "topic_of",
]
