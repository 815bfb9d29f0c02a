"""ISO codes for countries and languages, validated with pycountry."""
from __future__ import annotations

from functools import lru_cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Common names people type that pycountry's fuzzy search would not resolve exactly.
COUNTRY_ALIASES = {
    "north korea": "KP", "dprk": "KP", "korea, north": "KP", "korea, democratic people's republic of": "KP",
    "south korea": "KR", "rok": "KR", "korea, south": "KR", "korea, republic of": "KR",
    "laos": "LA", "russia": "RU", "vietnam": "VN", "china": "CN", "mongolia": "MN", "thailand": "TH",
}


@lru_cache(maxsize=4096)
def country_code(value: str) -> str:
    """Return the ISO 3166-1 alpha-2 code for an alpha-2, alpha-3 or English name; raise ValidationError."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(_("A country is required."))
    alias = COUNTRY_ALIASES.get(text.lower())
    if alias:
        return alias
    country = None
    if len(text) == 2:
        country = pycountry.countries.get(alpha_2=text.upper())
    elif len(text) == 3:
        country = pycountry.countries.get(alpha_3=text.upper())
    if country is None:
        for candidate in pycountry.countries:
            names = {candidate.name.lower(), getattr(candidate, "official_name", "").lower(),
                     getattr(candidate, "common_name", "").lower()}
            if text.lower() in names:
                country = candidate
                break
    if country is None:
        raise ValidationError(_("“%(value)s” is not an ISO 3166 country code or name."), params={"value": text})
    return country.alpha_2


def validate_country(value: str) -> None:
    if value and (len(value) != 2 or pycountry.countries.get(alpha_2=value) is None):
        raise ValidationError(_("“%(value)s” is not an ISO 3166-1 alpha-2 country code."), params={"value": value})


@lru_cache(maxsize=1)
def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda item: item[1])


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code) if code else None
    return country.name if country else code


@lru_cache(maxsize=4096)
def language_code(value: str) -> str:
    """Return the ISO 639-3 code for an ISO 639-1/639-3 code or English name; raise ValidationError."""
    text = (value or "").strip()
    language = None
    if len(text) == 2:
        language = pycountry.languages.get(alpha_2=text.lower())
    elif len(text) == 3:
        language = pycountry.languages.get(alpha_3=text.lower())
    if language is None and text:
        language = pycountry.languages.get(name=text.capitalize())
    if language is None:
        raise ValidationError(_("“%(value)s” is not an ISO 639 language code or name."), params={"value": text})
    return language.alpha_3


def validate_language(value: str) -> None:
    if pycountry.languages.get(alpha_3=value) is None:
        raise ValidationError(_("“%(value)s” is not an ISO 639-3 language code."), params={"value": value})


def language_name(code: str) -> str:
    language = pycountry.languages.get(alpha_3=code) if code else None
    return language.name if language else code
