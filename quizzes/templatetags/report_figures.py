"""Filters that print report figures: shares as percents, fractions with two decimals, "–" for none."""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def as_percent(value):
    """0.875 -> "87.5 %" (localized); None -> "–"."""
    return "–" if value is None else f"{floatformat(value * 100, -1)} %"


@register.filter
def as_fraction(value):
    """0.8754 -> "0.88" (localized); None -> "–"."""
    return "–" if value is None else floatformat(value, 2)
