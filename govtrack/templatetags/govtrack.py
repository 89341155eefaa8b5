from django import forms, template

from govtrack import access
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
