"""Reading an uploaded XLSX or CSV table within caps, for every import (КТП, the contingent):
the file's size, its unpacked size, rows and columns are limited before and while it is read;
XLSX is parsed read-only, row by row; CSV as UTF-8 (with or without BOM) or Windows-1251."""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class TableLimits:
    """The caps of one kind of import; `too_many_rows` says the row cap in the import's words."""

    max_bytes: int
    rows_max: int
    columns_max: int
    unpacked_max: int
    too_many_rows: Callable[[], str]


@dataclass
class RowError:
    """One problem of an imported file: row number (0 = the whole file), column, message."""

    row: int
    column: str
    message: str


class TableTooLarge(ValueError):
    """A file over a cap of the import; the message names the cap."""


class NotATable(ValueError):
    """The file is not an XLSX or CSV table (or not one that can be read)."""


def capped(rows: Any, limits: TableLimits) -> list[list[Any]]:
    """The first rows_max rows, each cut to columns_max cells; one row more is refused."""
    kept: list[list[Any]] = []
    for cells in rows:
        if len(kept) == limits.rows_max:
            raise TableTooLarge(limits.too_many_rows())
        kept.append(list(cells[: limits.columns_max]))
    return kept


def read_xlsx(data: bytes, limits: TableLimits) -> list[list[Any]]:
    """The first sheet's rows, read-only; a workbook that unpacks too large is refused unopened."""
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(i.file_size for i in archive.infolist()) > limits.unpacked_max:
            raise TableTooLarge(
                _("The file unpacks to more than %(mb)s MB.") % {"mb": limits.unpacked_max // 2**20}
            )
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        if (sheet.max_row or 0) > limits.rows_max:  # the declared <dimension>: refused unread
            raise TableTooLarge(limits.too_many_rows())
        return capped(sheet.iter_rows(max_col=limits.columns_max, values_only=True), limits)
    finally:
        book.close()


def decode(data: bytes) -> str | None:
    """A CSV's text: UTF-8 (BOM or not) or Windows-1251; None for a binary file."""
    if b"\x00" in data:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="strict")


def read_csv(
    text: str, limits: TableLimits, has_header: Callable[[list[list[Any]]], bool]
) -> list[list[Any]]:
    """Rows split by `;` or `,` — the first separator under which a header row is found."""
    best: list[list[Any]] = []
    for sep in (";", ","):
        rows = capped(csv.reader(io.StringIO(text), delimiter=sep), limits)
        if has_header(rows):
            return rows
        best = best or rows
    return best


def read_table(
    uploaded_file: Any, limits: TableLimits, has_header: Callable[[list[list[Any]]], bool]
) -> list[list[Any]]:
    """The file's rows as lists of cells. Raises TableTooLarge or NotATable with a Russian
    message naming the problem."""
    too_large = _("The file is larger than %(mb)s MB.") % {"mb": limits.max_bytes // 2**20}
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limits.max_bytes:
        raise TableTooLarge(too_large)
    data = uploaded_file.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise TableTooLarge(too_large)
    name = (getattr(uploaded_file, "name", "") or "").lower()
    not_table = NotATable(_("The file is not an XLSX or CSV table."))
    try:
        if data.startswith(b"PK"):
            return read_xlsx(data, limits)
        if name.endswith((".xlsx", ".xls", ".ods", ".doc", ".docx", ".pdf")):
            raise not_table
        text = decode(data)
        if text is None or not text.strip():
            raise not_table
        return read_csv(text, limits, has_header)
    except (TableTooLarge, NotATable):
        raise
    except (ValueError, KeyError, OSError, zipfile.BadZipFile, UnicodeDecodeError, csv.Error):
        raise not_table from None
    except Exception:  # openpyxl raises many kinds on a broken workbook
        raise not_table from None


def norm_header(value: Any) -> str:
    """A header cell as compared with the known names: lower case, ё as е, spaces squeezed."""
    text = str(value if value is not None else "").replace("ё", "е").replace("Ё", "Е")
    text = re.sub(r"\s+", " ", text).strip().lower().rstrip(".:")
    return text.replace(" - ", "-")


def blank(cells: list[Any]) -> bool:
    """Is the row empty?"""
    return all(c is None or str(c).strip() == "" for c in cells)


def cell_date(value: Any) -> datetime.date | None:
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
