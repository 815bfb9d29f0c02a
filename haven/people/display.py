"""How a person's name is shown: in the Korean interface the Hangul form comes first (리명철 (Ri Myŏng-ch'ŏl)),
elsewhere the Latin form (Ri Myŏng-ch'ŏl (리명철)); a name written in one script only is shown as it is."""
from __future__ import annotations

from django.utils import translation


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
