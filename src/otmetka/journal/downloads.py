"""The response that hands out a stored homework file: the one of every stored file
(`core.uploads.stored_file_response`)."""

from django.http import HttpResponseBase

from otmetka.core.uploads import stored_file_response
from otmetka.journal.models import HomeworkFile


def homework_file_response(found: HomeworkFile) -> HttpResponseBase:
    """Attachment with an RFC 5987 file name, the sniffed type and nosniff; 404 if the file is
    gone from the disk."""
    return stored_file_response(found)
