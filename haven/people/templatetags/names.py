"""`{% load names %}{{ person|person_name }}`: a person's name, Hangul first in the Korean interface."""
from __future__ import annotations

from django import template

from haven.people.display import name_for_language

register = template.Library()


@register.filter
def person_name(person) -> str:
    return name_for_language(person) if person is not None else ""
