"""Checks of journal input: mark values by the course's scale, topics, homework files, the
time an entry was made offline."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from otmetka.core.input import text_problem
from otmetka.core.uploads import HOMEWORK_FILE_MAX_BYTES as HOMEWORK_FILE_MAX_BYTES
from otmetka.core.uploads import SNIFF_BYTES as SNIFF_BYTES
from otmetka.core.uploads import download_content_type as download_content_type
from otmetka.core.uploads import homework_file_check as homework_file_check
from otmetka.core.uploads import homework_file_content_check as homework_file_content_check
from otmetka.curriculum.models import AssessmentMode

SCALES: dict[str, tuple[str, ...]] = {
    AssessmentMode.POINTS_2_5: ("2", "3", "4", "5"),
    AssessmentMode.POINTS_1_5: ("1", "2", "3", "4", "5"),
    AssessmentMode.PASS_FAIL: ("зач", "незач"),
    AssessmentMode.NONE: (),
}
POINT_MODES = (AssessmentMode.POINTS_2_5, AssessmentMode.POINTS_1_5)

HOMEWORK_TEXT_MAX = 5000
FOREIGN_LANGUAGE_WORDS = ("иностран", "английск", "немецк", "французск", "испанск", "китайск")


def mark_value_clean(assessment: str, value: object) -> str:
    """The mark as stored, or a Russian ValidationError (no «4-», «5+», «4.5», «6», dots)."""
    text = str(value if value is not None else "").strip().lower()
    allowed = SCALES.get(assessment, ())
    if not allowed:
        raise ValidationError(_("This course is not marked: marks are not given."))
    if not text:
        raise ValidationError(_("Enter a mark."))
    if text in allowed:
        return text
    if assessment == AssessmentMode.PASS_FAIL:
        raise ValidationError(_("Only «зач» or «незач» is allowed in this course."))
    if re.search(r"[+\-]$", text):
        raise ValidationError(_("Marks with plus or minus are not allowed: enter a whole mark."))
    if re.fullmatch(r"\d+[.,]\d*", text):
        raise ValidationError(_("Fractional marks are not allowed: enter a whole mark."))
    return _raise_scale(allowed)


def _raise_scale(allowed: tuple[str, ...]) -> str:
    raise ValidationError(
        _("The mark must be a whole number from %(low)s to %(high)s.")
        % {"low": allowed[0], "high": allowed[-1]}
    )


# The Russian letter on each key of the Latin (QWERTY) layout: «Ghfrnbxtcrjt» → «Практическое».
_LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
_RUSSIAN_KEYS = "йцукенгшщзхъфывапролджэячсмитьбюё"
_TO_RUSSIAN = str.maketrans(
    {
        **{k.upper(): r.upper() for k, r in zip(_LATIN_KEYS, _RUSSIAN_KEYS, strict=True)},
        **dict(zip(_LATIN_KEYS, _RUSSIAN_KEYS, strict=True)),
    }
)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\[\];',.`]*[A-Za-z\[\];'`]|[A-Za-z]")
_ENGLISH_VOWELS = re.compile(r"[aeiouAEIOU]")


def wrong_layout_guess(topic: str) -> str:
    """The topic retyped in the Russian layout when it looks typed in the Latin one by mistake
    (most of its longer words have no English vowel: «Ghfrnbxtcrjt pfyznbt»), else ""."""
    words = [w for w in _LATIN_WORD.findall(topic) if len(w) >= 4]
    if not words:
        return ""
    voweless = sum(1 for w in words if not _ENGLISH_VOWELS.search(w))
    if voweless * 2 < len(words):
        return ""
    return _LATIN_WORD.sub(lambda m: m.group().translate(_TO_RUSSIAN), topic)


def topic_warning(topic: str, subject_name: str) -> str:
    """A warning (not an error) when a topic has no Russian letters outside foreign languages,
    or looks typed in the wrong keyboard layout in any subject."""
    if not topic.strip() or re.search(r"[А-Яа-яЁё]", topic):
        return ""
    if guess := wrong_layout_guess(topic):
        return _(
            "The topic looks typed in the English keyboard layout: did you mean «%(guess)s»? "
            "Switch the layout to Russian and correct it."
        ) % {"guess": guess}
    if any(w in subject_name.lower() for w in FOREIGN_LANGUAGE_WORDS):
        return ""
    return _("The topic has no Russian letters: check the keyboard layout.")


def homework_text_check(text: str) -> None:
    """Refuse homework text over HOMEWORK_TEXT_MAX characters."""
    if len(text) > HOMEWORK_TEXT_MAX:
        raise ValidationError(
            _("The homework is longer than %(limit)s characters.") % {"limit": HOMEWORK_TEXT_MAX}
        )


REASON_MAX_LENGTH = 500  # audit.Event.reason


def reason_check(reason: str) -> None:
    """Refuse a change reason longer than the audit event keeps or that no database stores."""
    if len(reason or "") > REASON_MAX_LENGTH:
        raise ValidationError(too_long_message("reason"))
    problem = text_problem(reason or "")
    if problem:
        raise ValidationError(problem)


# A device's clock may run a little ahead of the server's: a `made_at` up to this far in the
# future is taken as "now"; further ahead it is refused.
MADE_AT_SKEW = datetime.timedelta(minutes=5)
_ISO_CHARS = re.compile(r"[0-9T:+\-.Z ]{10,40}")  # Python's fromisoformat lets a NUL through


def made_at_clean(value: object) -> datetime.datetime:
    """The time an entry was made offline (ISO 8601 with a time zone, from the offline queue),
    not after the server's now (a clock up to `MADE_AT_SKEW` ahead is taken as now) and not
    older than `JOURNAL_OFFLINE_DAYS` days (the device's kept journal is no older); else a
    Russian ValidationError."""
    if isinstance(value, datetime.datetime):
        made = value
    else:
        try:
            if not isinstance(value, str) or not _ISO_CHARS.fullmatch(value):
                raise ValueError(value)
            made = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                _("The time the entry was made is not a date and time (ISO 8601).")
            ) from None
    if made.tzinfo is None or made.utcoffset() is None:
        raise ValidationError(_("The time the entry was made must carry its time zone."))
    now = timezone.now()
    if made > now + MADE_AT_SKEW:
        raise ValidationError(
            _("The time the entry was made is in the future: check the clock of the device.")
        )
    days = settings.JOURNAL_OFFLINE_DAYS
    if made < now - datetime.timedelta(days=days):
        raise ValidationError(
            ngettext(
                "The entry was made more than %(days)d day ago: enter it again.",
                "The entry was made more than %(days)d days ago: enter it again.",
                days,
            )
            % {"days": days}
        )
    return min(made, now)


def too_long_message(field: str) -> str:
    """The Russian refusal of an over-long text of the journal API, by field."""
    texts = {
        "mark": _("Unknown mark: enter a mark of the course's scale."),
        "comment": _("The comment is longer than 300 characters."),
        "code": _("Unknown absence code."),
        "topic": _("The lesson topic is longer than 500 characters."),
        "reason": _("The change reason is longer than 500 characters."),
    }
    return texts[field]


def api_message(key: str) -> str:
    """The texts of the journal API's error responses (kept here: this app has the catalogue)."""
    texts = {
        "forbidden": _("You may not change this journal entry."),
        "not_found": _("Not found."),
        "malformed": _("The request is malformed."),
        "malformed_at": _("The request is malformed: check «%(field)s»."),
        "object_expected": _("The request is malformed: an object is expected here."),
        "not_json": _("The request body is not valid JSON in UTF-8."),
        "login_required": _("Log in to use the API."),
        "csrf": _("The CSRF check failed: reload the page and try again."),
        "idempotency_key": _(
            "The Idempotency-Key header must be 1 to 100 visible ASCII characters."
        ),
        "idempotency_reused": _(
            "This Idempotency-Key was already used for a different request: make a new key."
        ),
        "idempotency_running": _(
            "The request with this Idempotency-Key is still being processed: retry later."
        ),
    }
    return texts[key]
