from django import template

register = template.Library()


@register.filter
def get(mapping: dict, key: str):
    """A dictionary's value by a key held in a variable (for rows of grouped sums)."""
    return mapping.get(key)
