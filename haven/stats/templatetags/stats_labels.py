from django import template

from haven.stats.labels import measure_label as _measure_label
from haven.stats.labels import unit_label as _unit_label

register = template.Library()


@register.filter
def measure_label(key: str) -> str:
    """`{{ group.measure|measure_label }}`: a published figure's measure in words, in the reader's language."""
    return _measure_label(key)


@register.filter
def unit_label(unit: str) -> str:
    return _unit_label(unit)
