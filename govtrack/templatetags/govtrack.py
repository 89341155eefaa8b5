from django import forms, template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from govtrack import access, deadlines
from govtrack.dateinput import DateInput

register = template.Library()


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_date_input(bound_field) -> bool:
    """Fields shown as a group in a fieldset with a legend: date inputs, radios, several checkboxes."""
    return isinstance(bound_field.field.widget, (DateInput, forms.RadioSelect))


@register.filter
def is_choice_group(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.RadioSelect)


@register.filter
def can_change(user, obj) -> bool:
    return access.can_change(user, obj)


@register.simple_tag(takes_context=True)
def query_transform(context, **kwargs) -> str:
    """The current query string with some parameters replaced: keeps filters across pages."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag
def due(when, finished: bool = False, passed: str = "") -> str:
    """A due date with the one overdue rule's tag (govtrack.deadlines): "Overdue" before today, "Due today" on it."""
    if when is None:
        return "—"
    text = date_format(when, "j M Y")
    if deadlines.is_overdue(when, finished=finished):
        return format_html('{} <strong class="govuk-tag govuk-tag--red">{}</strong>', text, passed or _("Overdue"))
    if deadlines.is_due_today(when, finished=finished):
        return format_html('{} <strong class="govuk-tag govuk-tag--orange">{}</strong>', text, _("Due today"))
    return text
