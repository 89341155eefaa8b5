from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from govtrack import charts

register = template.Library()


@register.simple_tag
def band(band_obj, score=None, compact=False):
    """A band's swatch, name and (optionally) the score: the name and number carry the meaning."""
    if band_obj is None:
        return "—" if score is None else str(score)
    if compact and score is not None:
        return format_html('<span class="gt-band">{}<strong>{}</strong><span class="govuk-visually-hidden"> {}'
                           '</span></span>', charts.swatch(band_obj.colour), score, band_obj.name)
    if score is None:
        return format_html('<span class="gt-band">{}{}</span>', charts.swatch(band_obj.colour), band_obj.name)
    return format_html('<span class="gt-band">{}<strong>{}</strong> {}</span>', charts.swatch(band_obj.colour),
                       score, band_obj.name)


TREND_LABELS = {"up": ("↑", _("Rising")), "down": ("↓", _("Falling")), "steady": ("→", _("No change")),
                "new": ("•", _("New"))}


@register.simple_tag
def trend_arrow(value):
    arrow, label = TREND_LABELS.get(value, ("", value))
    return format_html('<span aria-hidden="true">{}</span> {}', arrow, label)


@register.filter
def multiply(value, other):
    return int(value) * int(other)


@register.filter
def person(user, default="—"):
    """A person's full name, else their username; ``default`` when there is nobody."""
    if user is None:
        return default
    return user.get_full_name() or user.username
