"""ISO codes for countries and languages, validated with pycountry."""
from __future__ import annotations

import gettext
import unicodedata
from functools import lru_cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
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


@lru_cache(maxsize=32)
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    """pycountry's own translations of the ISO names (Debian's iso-codes), for one language."""
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _active_language() -> str:
    return (get_language() or "en").split("-")[0]  # fr-ca reads the fr catalogue


def _translated(domain: str, english_name: str, language: str) -> str:
    return english_name if language == "en" else _catalogue(domain, language).gettext(english_name)


def _sort_key(name: str) -> str:
    # Accents dropped, so "Égypte" sorts among the E's rather than after "Zimbabwe"; Hangul decomposes into jamo,
    # which keep the syllables' 가나다 order.
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)).casefold()


def country_choices() -> list[tuple[str, str]]:
    """(alpha-2, name) of every country, named and sorted in the active language."""
    return _country_choices(_active_language())


@lru_cache(maxsize=8)
def _country_choices(language: str) -> list[tuple[str, str]]:
    named = ((c.alpha_2, _translated("iso3166-1", c.name, language)) for c in pycountry.countries)
    return sorted(named, key=lambda item: _sort_key(item[1]))


def country_name(code: str) -> str:
    """The country's ISO name in the active language; an unknown code is returned as it is."""
    country = pycountry.countries.get(alpha_2=code) if code else None
    return _translated("iso3166-1", country.name, _active_language()) if country else code


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
    """The language's ISO 639-3 name in the active language; an unknown code is returned as it is."""
    language = pycountry.languages.get(alpha_3=code) if code else None
    return _translated("iso639-3", language.name, _active_language()) if language else code
