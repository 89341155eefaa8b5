"""Logging filters: a refused request (403, 404) is one line, not a traceback; a server error keeps its traceback."""

from __future__ import annotations

import logging


class NoTracebackForRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (401, 403, 404, 405):
            record.exc_info, record.exc_text = None, None
        return True
