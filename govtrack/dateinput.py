"""GOV.UK date inputs: day, month and year boxes instead of the browser's date picker.

The browser's picker shows dates in the browser's own format and language, not the page's, and
is hard to use by keyboard and with a screen reader. Every ``forms.DateField`` of a govtrack form
gets :class:`DateInput` (see ``govtrack.forms``); what the person typed is shown back on error,
with the message GOV.UK's pattern gives ("... must include a month", "... must be a real date").
A single ISO value under the field's own name (``due_on=2027-01-31``) is still accepted, for
scripts and links.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PARTS = ("day", "month", "year")


class DateParts(tuple):
    """What was typed in the three boxes, kept as typed so the form can show it again."""

    def __new__(cls, day: str, month: str, year: str):
        return super().__new__(cls, (day, month, year))


class DateInput(forms.MultiWidget):
    template_name = "govtrack/forms/date_input.html"

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, str) and value:
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if data.get(name):
            return data[name]
        parts = [str(data.get(f"{name}_{part}", "")).strip() for part in PARTS]
        return DateParts(*parts) if any(parts) else ""

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}_{part}" in data for part in PARTS)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        invalid = bool(attrs) and attrs.get("aria-invalid") == "true"
        sizes = {"day": "govuk-input--width-2", "month": "govuk-input--width-2", "year": "govuk-input--width-4"}
        labels = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
        for part, subwidget in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            sub_attrs = subwidget["attrs"]
            if attrs and attrs.get("id"):
                sub_attrs["id"] = f"{attrs['id']}_{part}"
            classes = ["govuk-input", "govuk-date-input__input", sizes[part]]
            sub_attrs["class"] = " ".join(classes + (["govuk-input--error"] if invalid else []))
            sub_attrs.pop("aria-describedby", None)
            if not invalid:
                sub_attrs.pop("aria-invalid", None)
            subwidget["label"] = labels[part]
        return context

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else ""


class DateField(forms.DateField):
    """A date from GOV.UK date inputs: a clear message for a missing or impossible part."""

    widget = DateInput

    def to_python(self, value):
        if isinstance(value, DateParts):
            return self._from_parts(*value)
        return super().to_python(value)

    def _from_parts(self, day: str, month: str, year: str) -> date:
        label = self.label or _("The date")
        missing = [name for name, part in zip((_("a day"), _("a month"), _("a year")), (day, month, year),
                                               strict=True) if not part]
        if missing:
            raise ValidationError(_("%(label)s must include %(parts)s") % {
                "label": label, "parts": _(" and ").join(str(m) for m in missing)}, code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(_("%(label)s must be a real date") % {"label": label}, code="invalid")
        if len(year) != 4:
            raise ValidationError(_("The year must include 4 numbers"), code="invalid")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(_("%(label)s must be a real date") % {"label": label}, code="invalid") from None


def use_date_inputs(form: forms.BaseForm) -> None:
    """Give every plain date field of the form GOV.UK date inputs (called by the kernel's form mixin)."""
    for field in form.fields.values():
        if type(field) is forms.DateField:
            field.__class__ = DateField
            attrs = {k: v for k, v in field.widget.attrs.items() if k not in ("type", "class")}
            field.widget = DateInput(attrs=attrs)
            field.widget.is_required = field.required
