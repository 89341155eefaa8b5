"""The one writer of CSV and XLSX exports: cells that a spreadsheet would run as formulas are neutralised.

OWASP's guidance on CSV injection: a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with a single quote, so Excel and LibreOffice show it as text. Numbers
and dates stay typed. Characters a spreadsheet cannot hold (control characters) become U+FFFD, so an
export never fails on what the database holds. Every export (pages, commands, the API) goes
through ``csv_bytes`` or ``xlsx_bytes``.
"""

from __future__ import annotations

import re
from typing import Any

import tablib

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What XML 1.0 (so XLSX) cannot hold, the same set openpyxl refuses.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: Any) -> Any:
    """A cell as a spreadsheet may show it: text neutralised, numbers and dates untouched, nothing as empty."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    value = ILLEGAL.sub("\ufffd", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    safe = tablib.Dataset(headers=[safe_cell(h) for h in dataset.headers or []], title=dataset.title)
    for row in dataset:
        safe.append([safe_cell(cell) for cell in row])
    return safe


def csv_bytes(dataset: tablib.Dataset) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads accents and the Welsh alphabet right."""
    return ("\ufeff" + safe_dataset(dataset).csv).encode("utf-8")


def xlsx_bytes(dataset: tablib.Dataset) -> bytes:
    return safe_dataset(dataset).export("xlsx")
