"""Password validators that know Russian: common Russian passwords, the keyboard layout typed
wrong (пароль ↔ gfhjkm, qwerty ↔ йцукен), transliteration (parol), and names in either script."""

import functools
import re
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    UserAttributeSimilarityValidator,
    exceeds_maximum_length_ratio,
)
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _

RUSSIAN_LIST = Path(__file__).resolve().parent / "data" / "common-passwords-ru.txt"

# The same keys on the ЙЦУКЕН and QWERTY layouts.
_CYRILLIC_KEYS = "йцукенгшщзхъфывапролджэячсмитьбюё"
_LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
_TO_LATIN_KEYS = str.maketrans(_CYRILLIC_KEYS, _LATIN_KEYS)
_TO_CYRILLIC_KEYS = str.maketrans(_LATIN_KEYS, _CYRILLIC_KEYS)

# Two common transliterations: the passport one (ICAO) and the one people type by hand.
_TRANSLIT_COMMON = dict(
    zip(
        "абвгдезийклмнопрстуфыэ",
        "abvgdeziiklmnoprstufye",
        strict=True,
    )
)
_PASSPORT = {
    **_TRANSLIT_COMMON,
    "ё": "e", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ь": "", "ю": "iu", "я": "ia",
}  # fmt: skip
_BY_HAND = {
    **_TRANSLIT_COMMON,
    "ё": "yo", "ж": "zh", "й": "y", "х": "h", "ц": "c", "ч": "ch", "ш": "sh",
    "щ": "sch", "ъ": "", "ь": "", "ю": "yu", "я": "ya",
}  # fmt: skip
_TRAILING = re.compile(r"[\d\W_]+$")


def fold(text: str) -> str:
    """NFKC, case-folded, ё as е: the form passwords and names are compared in."""
    return unicodedata.normalize("NFKC", text).casefold().replace("ё", "е").strip()


def _translit(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(ch, ch) for ch in text)


def spellings(text: str) -> set[str]:
    """A folded word as typed: itself, in the other keyboard layout, and transliterated."""
    word = fold(text)
    return {
        word,
        word.translate(_TO_LATIN_KEYS),
        word.translate(_TO_CYRILLIC_KEYS),
        _translit(word, _PASSPORT),
        _translit(word, _BY_HAND),
    }


class RussianCommonPasswordValidator(CommonPasswordValidator):
    """Django's 20,000 common passwords plus a Russian list, each in every spelling, compared
    with the password and with its stem (trailing digits and punctuation stripped)."""

    def __init__(self, russian_list_path: str | Path = RUSSIAN_LIST) -> None:
        super().__init__()
        self.passwords = self.passwords | _russian_spellings(str(russian_list_path))

    def validate(self, password: str, user: Any = None) -> None:
        """Refuse a password whose any spelling, or its stem's, is a common password."""
        whole = fold(password)
        stem = _TRAILING.sub("", whole)
        candidates = spellings(whole)
        if len(stem) >= 3:
            candidates |= spellings(stem)
        if candidates & self.passwords:
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self) -> str:
        return _(
            "This password is too common: it is a well-known word, name or row of keys, "
            "perhaps with digits added or typed in the other keyboard layout."
        )


@functools.cache
def _russian_spellings(path: str) -> frozenset[str]:
    """Every spelling of every word of the Russian list (read once per process)."""
    words: set[str] = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words |= spellings(line)
    return frozenset(words)


class NameSimilarityValidator(UserAttributeSimilarityValidator):
    """Django's similarity check against the login and the full name, with each name also in
    Latin letters and as typed in the Latin layout (Иванова → ivanova, bdfyjdf)."""

    DEFAULT_USER_ATTRIBUTES = ("username", "first_name", "last_name", "middle_name", "email")

    def __init__(
        self,
        user_attributes: tuple[str, ...] = DEFAULT_USER_ATTRIBUTES,
        max_similarity: float = 0.7,
    ) -> None:
        super().__init__(user_attributes, max_similarity)

    def validate(self, password: str, user: Any = None) -> None:
        """Refuse a password too similar to any spelling of the user's login or names."""
        if not user:
            return
        typed = fold(password)
        for attribute in self.user_attributes:
            value = getattr(user, attribute, None)
            if value and isinstance(value, str) and self._similar(typed, value):
                try:
                    name = str(user._meta.get_field(attribute).verbose_name)
                except FieldDoesNotExist:
                    name = attribute
                raise ValidationError(
                    self.get_error_message(),
                    code="password_too_similar",
                    params={"verbose_name": name},
                )

    def get_error_message(self) -> str:
        return _("The password is too similar to your personal data: %(verbose_name)s.")

    def _similar(self, typed: str, value: str) -> bool:
        for spelling in spellings(value):
            for part in {*re.split(r"\W+", spelling), spelling}:
                if not part or exceeds_maximum_length_ratio(typed, self.max_similarity, part):
                    continue
                if SequenceMatcher(a=typed, b=part).quick_ratio() >= self.max_similarity:
                    return True
        return False
