"""Bounded input, once for every path: forms, the API, imports and management commands.

Every text is checked for control characters and length, every date for a sane range and every
number filter for a range the database can hold, so bad input gets a clear message and never a
server error. ``ScopedModel.clean_fields`` and ``GovukFormMixin`` call these; the API's JSON
parser (``govtrack.api.parsers``) refuses bodies too large or too deeply nested before parsing them.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

#: Control characters other than tab, newline and carriage return: invisible, and fatal to spreadsheets.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: The longest text a long-text field (a cause, a progress note) takes; a spreadsheet cell holds 32,767.
LONG_TEXT_LIMIT = 20_000
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)
#: Whole numbers a filter accepts: what every supported database holds in an integer column.
FILTER_INT_RANGE = (-(2**31), 2**31 - 1)


def text_problem(value: str, *, limit: int | None = None) -> str | None:
    """What is wrong with a text, or None: a control character, or more characters than the limit."""
    found = CONTROL.search(value)
    if found:
        return _("Remove the invisible control character (U+%(code)04X) from this text.") % {"code": ord(found.group())}
    if limit is not None and len(value) > limit:
        return _("Shorten this to %(limit)s characters or fewer (it has %(n)s).") % {"limit": f"{limit:,}",
                                                                                     "n": f"{len(value):,}"}
    return None


def date_problem(value: date) -> str | None:
    if not EARLIEST <= value <= LATEST:
        return _("Give a date between %(first)s and %(last)s.") % {"first": EARLIEST.year, "last": LATEST.year}
    return None


def model_value_problems(instance: models.Model, exclude=None) -> dict[str, str]:
    """Field → message for every text and date of a record that is out of bounds."""
    exclude = set(exclude or ())
    problems = {}
    for model_field in instance._meta.concrete_fields:
        if model_field.name in exclude or model_field.attname in exclude:
            continue
        value = getattr(instance, model_field.attname, None)
        if value is None:
            continue
        if isinstance(model_field, models.CharField | models.TextField) and isinstance(value, str):
            limit = model_field.max_length or (LONG_TEXT_LIMIT if isinstance(model_field, models.TextField) else None)
            problem = text_problem(value, limit=None if isinstance(model_field, models.CharField) else limit)
        elif isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
            problem = date_problem(value) if isinstance(value, date) else None
        else:
            problem = None
        if problem:
            problems[model_field.name] = problem
    return problems


def check_text(value: str, *, limit: int | None = None) -> None:
    """Raise a ValidationError with the text's problem (for plain forms and serializers)."""
    problem = text_problem(value, limit=limit)
    if problem:
        raise ValidationError(problem)
