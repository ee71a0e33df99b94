"""Checks of journal input: mark values by the course's scale, topics, homework files."""

import codecs
import re
from typing import Any

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from otmetka.core.input import text_problem
from otmetka.curriculum.models import AssessmentMode

SCALES: dict[str, tuple[str, ...]] = {
    AssessmentMode.POINTS_2_5: ("2", "3", "4", "5"),
    AssessmentMode.POINTS_1_5: ("1", "2", "3", "4", "5"),
    AssessmentMode.PASS_FAIL: ("зач", "незач"),
    AssessmentMode.NONE: (),
}
POINT_MODES = (AssessmentMode.POINTS_2_5, AssessmentMode.POINTS_1_5)

HOMEWORK_FILE_MAX_BYTES = 10 * 1024 * 1024
HOMEWORK_FILE_TYPES = (
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "txt",
    "jpg",
    "jpeg",
    "png",
)
# What the content of each allowed extension may be sniffed as ("ole": an Office 97-2003
# compound file filetype cannot name; "zip": an Office Open XML or OpenDocument file whose
# parts are ordered so that filetype sees a plain archive). None: plain text, checked apart.
_OLE = frozenset({"doc", "xls", "ppt", "ole"})
HOMEWORK_FILE_CONTENT: dict[str, frozenset[str] | None] = {
    "pdf": frozenset({"pdf"}),
    "doc": _OLE,
    "xls": _OLE,
    "ppt": _OLE,
    "docx": frozenset({"docx", "zip"}),
    "xlsx": frozenset({"xlsx", "zip"}),
    "pptx": frozenset({"pptx", "zip"}),
    "odt": frozenset({"odt", "zip"}),
    "txt": None,
    "jpg": frozenset({"jpg"}),
    "jpeg": frozenset({"jpg"}),
    "png": frozenset({"png"}),
}
OFFICE_TYPES = ("doc", "xls", "ppt", "docx", "xlsx", "pptx", "odt")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SNIFF_BYTES = 8192
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


def homework_file_check(name: str, size: int) -> None:
    """Refuse files over 10 MB and of types other than documents and pictures."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in HOMEWORK_FILE_TYPES:
        raise ValidationError(
            _("This file type is not accepted. Allowed: %(types)s.")
            % {"types": ", ".join(HOMEWORK_FILE_TYPES)}
        )
    if size > HOMEWORK_FILE_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    if size == 0:
        raise ValidationError(_("The file is empty."))


def _head(uploaded: Any, size: int = SNIFF_BYTES) -> bytes:
    """The first bytes of an uploaded or stored file; the file is rewound after."""
    uploaded.seek(0)
    head = uploaded.read(size)
    uploaded.seek(0)
    return head


def sniffed_kind(head: bytes) -> str | None:
    """The type the content's first bytes show ("pdf", "png", "ole", …), or None if unknown."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.extension
    return "ole" if head.startswith(OLE_MAGIC) else None


def _is_plain_text(uploaded: Any) -> bool:
    """Valid UTF-8 without NUL that does not open with HTML markup (read in chunks)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    uploaded.seek(0)
    first = True
    try:
        for chunk in uploaded.chunks():
            text = decoder.decode(chunk)
            if "\x00" in text:
                return False
            if first and text.strip():
                if re.match(r"<\s*[!?a-zA-Z/]", text.lstrip("\ufeff \t\r\n")):
                    return False
                first = False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        uploaded.seek(0)
    return True


def homework_file_content_check(name: str, uploaded: Any) -> None:
    """Refuse a file whose content is not what its extension says (HTML inside a .pdf)."""
    ext = name.rsplit(".", 1)[-1].lower()
    allowed = HOMEWORK_FILE_CONTENT[ext]
    if allowed is None:
        if sniffed_kind(_head(uploaded)) is None and _is_plain_text(uploaded):
            return
        raise ValidationError(
            _("The file «.%(ext)s» is not plain text in UTF-8 (or it is a web page).")
            % {"ext": ext}
        )
    if sniffed_kind(_head(uploaded)) not in allowed:
        raise ValidationError(
            _("The file's content does not match its extension «.%(ext)s».") % {"ext": ext}
        )


def download_content_type(name: str, head: bytes) -> str:
    """The Content-Type of a stored file from its first bytes (its extension only names the
    Office format inside a sniffed archive); unknown content is application/octet-stream."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = filetype.guess(head)
    if kind is not None and kind.extension != "zip":
        return kind.mime
    if kind is not None or head.startswith(OLE_MAGIC):
        office = filetype.get_type(ext=ext) if ext in OFFICE_TYPES else None
        return office.mime if office is not None else "application/octet-stream"
    if ext == "txt" and b"\x00" not in head:
        return "text/plain; charset=utf-8"
    return "application/octet-stream"


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
