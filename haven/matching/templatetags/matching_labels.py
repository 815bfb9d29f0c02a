"""Translated labels for the model's comparisons and levels, as the review page and the person form show them.

The labels come from the Splink settings in linkage.py (English); a level this table does not know yet is shown
as written there."""
from __future__ import annotations

import re

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

COMPARISONS = {
    "name": _("Name"),
    "birth_date": _("Date of birth"),
    "birth_place": _("Place of birth"),
    "sex": _("Sex"),
}

LEVELS = {
    "All other comparisons": _("No agreement"),
    "Day and month swapped": _("Day and month swapped"),
    "Exact match on sex": _("Same sex"),
    "Family and given swapped": _("Family and given names swapped"),
    "Hangul given name differs by one syllable": _("Hangul given name differs by one syllable"),
    "Same Hangul name": _("Same Hangul name"),
    "Same birth date": _("Same birth date"),
    "Same given name, other surname": _("Same given name, other surname"),
    "Same name skeleton": _("Names sound the same"),
    "Same place": _("Same place"),
    "Same province": _("Same province"),
    "Same surname class and given-name skeleton": _("Same surname and given name, spelled differently"),
    "Same surname only": _("Same surname only"),
    "Same surname, given name close": _("Same surname, given name close"),
    "Same surname, given name one sound apart": _("Same surname, given name one sound apart"),
    "Same surname, given names share one syllable (siblings?)":
        _("Same surname, given names share one syllable (siblings?)"),
    "Same year only": _("Same year only"),
    "Same year, one date is a 1 January placeholder": _("Same year, one date is a 1 January placeholder"),
    "Sound alike, but the Hangul differs": _("Sound alike, but the Hangul differs"),
    "Within 60 days (lunar calendar)": _("Within 60 days (lunar calendar)"),
    "Year off by one": _("Year off by one"),
    "No information (missing on one side)": _("Missing in one of the records"),
}

# Splink's null level is labelled with its SQL condition ("dob_n_l IS NULL OR dob_n_r IS NULL").
NULL_LEVEL = re.compile(r"\bIS NULL\b", re.IGNORECASE)


@register.filter
def comparison_label(name: str) -> str:
    return COMPARISONS.get(name, name)


@register.filter
def level_label(level: str) -> str:
    if level in LEVELS:
        return LEVELS[level]
    if NULL_LEVEL.search(level or ""):
        return _("Missing in one of the records")
    return level
