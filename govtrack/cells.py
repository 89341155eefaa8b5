"""Reading what councils' spreadsheets hold, without guessing: pure functions, each with a plain message.

A cell that cannot be read exactly raises ``CellError`` with a sentence the person can act on
("2.5 is not a whole number between 1 and 5"); nothing is rounded, truncated or dropped quietly.
The importers call these, and hypothesis tests them with arbitrary input.
"""

from __future__ import annotations

import codecs
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _


class CellError(ValueError):
    """A cell that cannot be read as what its column holds; the message says why, in plain words."""


def _shown(value) -> str:
    text = str(value).strip()
    return text if len(text) <= 40 else text[:37] + "…"


def whole_number(value, *, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high`` (empty gives None); ``3.0`` is 3, ``2.5`` and ``abc`` are refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("%(value)s is not a whole number between %(low)s and %(high)s.")
                        % {"value": _shown(value), "low": low, "high": high})
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value() or not low <= number <= high:
        raise CellError(_("%(value)s is not a whole number between %(low)s and %(high)s.")
                        % {"value": _shown(value), "low": low, "high": high})
    return int(number)


#: Encodings a council's CSV arrives in: Excel's "CSV UTF-8", Unicode text, and Windows' default.
ENCODINGS = ("UTF-8", "UTF-16", "Windows-1252")


def decode_text(content: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: UTF-8 (with or without BOM), UTF-16, or Windows-1252.

    Anything else is refused with a message saying how to save the file, never read as garbage.
    """
    if content.startswith(codecs.BOM_UTF8):
        return _decode(content[len(codecs.BOM_UTF8):], "utf-8", "UTF-8")
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(content, "utf-16", "UTF-16")
    sample = content[:4000]
    if sample and sample.count(b"\x00") * 4 >= len(sample):  # UTF-16 without a BOM: every other byte is zero
        even, odd = sample[0::2].count(b"\x00"), sample[1::2].count(b"\x00")
        return _decode(content, "utf-16-le" if odd > even else "utf-16-be", "UTF-16")
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in content:
        raise CellError(_("This does not look like a text file. Save the spreadsheet as “CSV UTF-8” or as .xlsx."))
    return _decode(content, "cp1252", "Windows-1252")


def _decode(content: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        return content.decode(codec), name
    except UnicodeDecodeError:
        raise CellError(
            _("The file is not valid %(encoding)s text. Save the spreadsheet as “CSV UTF-8” or as .xlsx.")
            % {"encoding": name}
        ) from None
