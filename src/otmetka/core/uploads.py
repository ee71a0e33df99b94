"""Uploaded files (homework, message attachments, scanned consents): the accepted types and size,
the content sniffed against the extension, and the Content-Type a stored file is handed out
with. The limits are those of homework files; every upload uses them."""

import codecs
import re
from typing import Any
from urllib.parse import quote

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

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
    head: bytes = uploaded.read(size)
    uploaded.seek(0)
    return head


def sniffed_kind(head: bytes) -> str | None:
    """The type the content's first bytes show ("pdf", "png", "ole", …), or None if unknown."""
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.extension)
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
        return str(kind.mime)
    if kind is not None or head.startswith(OLE_MAGIC):
        office = filetype.get_type(ext=ext) if ext in OFFICE_TYPES else None
        return office.mime if office is not None else "application/octet-stream"
    if ext == "txt" and b"\x00" not in head:
        return "text/plain; charset=utf-8"
    return "application/octet-stream"


def stored_file_response(found: Any) -> HttpResponseBase:
    """A stored file (a `core.models.StoredFile` with its `file`) as an attachment with an RFC
    5987 file name, the sniffed type and nosniff, streamed by Django or by the web server in
    front of it (OTMETKA_FILE_ACCEL); 404 if the file is gone from the disk."""
    try:
        stream = found.file.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    content_type = download_content_type(found.name, stream.read(SNIFF_BYTES))
    accel = settings.OTMETKA_FILE_ACCEL
    if accel in ("nginx", "apache"):
        stream.close()
        response: HttpResponseBase = HttpResponse(content_type=content_type)
        if accel == "nginx":
            prefix = settings.OTMETKA_FILE_ACCEL_PREFIX.rstrip("/")
            response["X-Accel-Redirect"] = f"{prefix}/{quote(found.file.name or '')}"
        else:
            # The path's UTF-8 bytes as they are (a header travels as latin-1).
            response["X-Sendfile"] = found.file.path.encode().decode("latin-1")
        response["Content-Disposition"] = content_disposition_header(True, found.name)
    else:
        stream.seek(0)
        response = FileResponse(
            stream, as_attachment=True, filename=found.name, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
