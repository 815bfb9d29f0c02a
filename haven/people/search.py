"""Search keys: one normalized string per record, matched with a substring test.

Normalization folds case, strips accents and diacritics (Myŏng → myong), drops
apostrophes, hyphens and spaces (Myong-chol, Myong Chol, Myongchol are one
key) and keeps Hangul syllables intact, so a query in any script finds the
record by a plain LIKE, which PostgreSQL serves from a trigram index.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db import connection
from django.db.models import Func, Q, TextField

SEPARATOR = "|"
# Two Hangul syllables: too short for a trigram, served by the bigram index of cases migration 0004.
HANGUL_PAIR = re.compile(r"^[가-힣]{2}$")


_NOT_ASCII_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    text = text or ""
    if text.isascii():
        # The common case, and the same answer: ASCII has no marks to strip and nothing to recompose. An
        # import of a million claims normalizes four names a row, so this path matters (docs/import-claims.md).
        return _NOT_ASCII_ALNUM.sub("", text.lower())
    return _normalize_unicode(text)


def _normalize_unicode(text: str) -> str:
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


class _HangulBigrams(Func):
    """haven_hangul_bigrams(key): the adjacent Hangul syllable pairs of a key (SQL function, cases 0004)."""

    function = "haven_hangul_bigrams"


def key_contains(key: str, field: str = "search_key") -> Q:
    """Records whose `field` contains the normalized `key`.

    On PostgreSQL a two-syllable Hangul key also asks the bigram index for candidates; the LIKE stays, so
    the answer is the same as the plain substring test on either database."""
    condition = Q(**{f"{field}__contains": key})
    if connection.vendor == "postgresql" and HANGUL_PAIR.match(key):
        from django.contrib.postgres.fields import ArrayField
        from django.contrib.postgres.lookups import DataContains
        from django.db.models import Value

        bigrams = _HangulBigrams(field, output_field=ArrayField(TextField()))
        condition &= Q(DataContains(bigrams, Value([key], output_field=ArrayField(TextField()))))
    return condition
