"""How a person's name is shown: in the Korean interface the Hangul form comes first (리명철 (Ri Myŏng-ch'ŏl)),
elsewhere the Latin form (Ri Myŏng-ch'ŏl (리명철)); a name written in one script only is shown as it is. How a
birth date is shown: as precise as it is known ("1975", "March 1975", "14 March 1975", "unknown"). How a place
is shown: only the parts that are known."""
from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, pgettext

from haven.people.codes import country_name


def hangul_first(language: str | None) -> bool:
    return (language or "").lower().startswith("ko")


def name_for_language(person, language: str | None = None) -> str:
    """`person`'s name for a reader of `language` (default: the active language)."""
    language = language if language is not None else translation.get_language()
    latin = " ".join(part for part in (person.family_name, person.given_name) if part)
    hangul = f"{person.family_name_hangul}{person.given_name_hangul}"
    if latin and hangul:
        return f"{hangul} ({latin})" if hangul_first(language) else f"{latin} ({hangul})"
    return latin or hangul


def birth_date_text(birth_date: dt.date | None, precision: str) -> str:
    """The birth date as precise as its precision says, in the reader's language (the formats are translated:
    "14 March 1975", "14 mars 1975", "1975년 3월 14일")."""
    if birth_date is None or precision == "unknown":
        return gettext("unknown")
    if precision == "year":
        return date_format(birth_date, pgettext("date of birth, year only", "Y"))
    if precision == "month":
        return date_format(birth_date, pgettext("date of birth, month and year", "F Y"))
    return date_format(birth_date, pgettext("date of birth, exact", "j F Y"))


def place_text(place: str, country: str) -> str:
    """"Hyesan, North Korea", "Hyesan", "North Korea", or "" when neither is known (never "—, China")."""
    return ", ".join(part for part in (place.strip(), country_name(country) if country else "") if part)
