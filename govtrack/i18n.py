"""Reference data councils publish in both languages: a record's Welsh value when the reader reads Welsh.

A translatable field ``name`` has a twin ``name_cy``; ``localised(record, "name")`` gives the Welsh
value when the active language is Welsh and one is given, else the English one.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def reading_welsh() -> bool:
    return (get_language() or "").split("-")[0] == "cy"


def localised(record: Any, field: str) -> str:
    """The field in the reader's language, falling back to English when no Welsh is given."""
    english = getattr(record, field, "") or ""
    if reading_welsh():
        return getattr(record, f"{field}_cy", "") or english
    return english
