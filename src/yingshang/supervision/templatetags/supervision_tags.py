"""Number formats of the supervision pages: rates as percentages, averages with one decimal, “—” for none."""

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def dec1(value) -> str:
    return "—" if value is None else f"{value:.1f}"
