"""СНИЛС, the student's insurance number: its checksum and its one written form (used by the
import of students and by the student form)."""

import re


def snils_valid(text: str) -> bool:
    """СНИЛС: 11 digits whose last two are the checksum of the first nine."""
    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"\d{11}", digits):
        return False
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits[:9]))
    check = total % 101 % 100 if total > 101 else (0 if total in (100, 101) else total)
    return int(digits[9:]) == check


def snils_format(text: str) -> str:
    """The stored form of a valid СНИЛС: «112-233-445 95»."""
    d = re.sub(r"[\s-]", "", text)
    return f"{d[:3]}-{d[3:6]}-{d[6:9]} {d[9:]}"
