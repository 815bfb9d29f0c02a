"""Search keys: one normalized string per record, matched with a substring test.

Normalization folds case, strips accents and diacritics (Myŏng → myong), drops
apostrophes, hyphens and spaces (Myong-chol, Myong Chol, Myongchol are one
key) and keeps Hangul syllables intact, so a query in any script finds the
record by a plain LIKE, which PostgreSQL serves from a trigram index.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

SEPARATOR = "|"


def normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    # Recompose so Hangul jamo become syllables again (명 stays 명).
    recomposed = unicodedata.normalize("NFC", kept).casefold()
    return "".join(ch for ch in recomposed if ch.isalnum())


def name_keys(family: str, given: str) -> list[str]:
    """Keys for one written name: family+given in both orders, and each part alone."""
    family_key, given_key = normalize(family), normalize(given)
    keys = [family_key + given_key, given_key + family_key]
    return [key for key in keys if key]


def build_key(parts: Iterable[str]) -> str:
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return SEPARATOR + SEPARATOR.join(seen) + SEPARATOR if seen else ""
