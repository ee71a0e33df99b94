"""Logging filters of the installation (settings.LOGGING names them)."""

import logging


class QuietForbidden(logging.Filter):
    """A 403 is an expected answer, not a fault: log its one line, never its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
