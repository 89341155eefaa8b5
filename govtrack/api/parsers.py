"""The API's JSON parser: bounded in size and depth, so a hostile body is a clear 400, never a 500."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _depth_exceeds(text: str, limit: int) -> bool:
    """Whether JSON nests arrays and objects more than ``limit`` deep (strings are skipped)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    """JSON bodies up to ``API_MAX_BODY_BYTES`` and ``API_MAX_JSON_DEPTH`` levels deep; otherwise a clear 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise ParseError(_("The request body is larger than %(kb)s KB.") % {"kb": limit // 1024})
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            raise ParseError(_("The request body is not valid %(encoding)s text.") % {"encoding": encoding}) from None
        if _depth_exceeds(text, settings.API_MAX_JSON_DEPTH):
            raise ParseError(_("The JSON is nested more than %(n)s levels deep.") % {"n": settings.API_MAX_JSON_DEPTH})
        return super().parse(io.BytesIO(text.encode("utf-8")), media_type, {**(parser_context or {}),
                                                                           "encoding": "utf-8"})
