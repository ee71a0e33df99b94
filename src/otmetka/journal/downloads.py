"""The response that hands out a stored homework file: streamed by Django, or by the web server
in front of it (OTMETKA_FILE_ACCEL), always as an attachment of its sniffed type."""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.utils.http import content_disposition_header

from otmetka.journal.models import HomeworkFile
from otmetka.journal.validation import SNIFF_BYTES, download_content_type


def homework_file_response(found: HomeworkFile) -> HttpResponseBase:
    """Attachment with an RFC 5987 file name, the sniffed type and nosniff; 404 if the file is
    gone from the disk."""
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
