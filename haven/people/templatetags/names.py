"""`{% load names %}{{ person|person_name }}`: a person's name, Hangul first in the Korean interface;
`{{ person|birth_date }}` and `{{ person|birth_place }}` as precise as they are known (haven.people.display)."""
from __future__ import annotations

from django import template

from haven.people.display import birth_date_text, name_for_language, place_text

register = template.Library()


@register.filter
def person_name(person) -> str:
    return name_for_language(person) if person is not None else ""


@register.filter
def birth_date(person) -> str:
    return birth_date_text(person.birth_date, person.birth_date_precision)


@register.filter
def birth_place(person) -> str:
    return place_text(person.birth_place, person.birth_country)
