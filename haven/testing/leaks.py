"""Personal values of the personas' records, for tests that look for leaks.

`personal_values(case)` walks everything that belongs to a case: the case, its household, and every record
that points at one of them (persons, names in every script, nationalities, languages, vulnerabilities,
identity documents, notes, attachments, assignments, claims and their steps, issues and evidence, duplicate
candidates and merges), following reverse relations only, so that the walk never climbs into the
organization, the users or another case. Every text value it finds is a marker, read through the model, so
encrypted fields count by their decrypted value.

Some values cannot tell a leak from a page's ordinary text, and are left out:
- fields with choices (a sex, a relationship, a status, a country or language code) and slugs (a deadline's
  rule key): their values are codes and their labels are the vocabulary of every form and filter;
- GENERIC_FIELDS below (a file's media type, a digest, a search index);
- JSON fields: they hold copies of values read elsewhere (a merge's snapshot) or fixed labels (a candidate's
  comparison levels, "Same Hangul name");
- values shorter than MIN_LENGTH characters ("Ri", "Lee", "Yi" occur inside ordinary words and markup),
  except text in a syllabic script, where MIN_SYLLABIC_LENGTH syllables already name someone ("명철" is a
  given name, while "리" is also part of everyday Korean words such as 관리).
"""
from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable

from django.db import models

from haven.cases.models import Attachment, Note
from haven.people.models import IdentityDocument, Vulnerability

MIN_LENGTH = 4
MIN_SYLLABIC_LENGTH = 2
# (app_label.model, field) → why its value proves nothing.
GENERIC_FIELDS = {
    ("cases.attachment", "content_type"): "a media type such as application/pdf, named in the API description",
    ("cases.attachment", "sha256"): "a digest (the fixtures' is a run of zeros)",
    ("cases.case", "search_key"): "a normalized index of the reference and names, never shown",
    ("people.person", "search_key"): "a normalized index of the names, never shown",
    ("claims.claim", "stage"): "a code computed from the claim's steps, such as decision_rejected",
    ("claims.evidenceitem", "description"): "the checklist's wording, the same for every claim raising the issue",
}


def _is_syllabic(value: str) -> bool:
    """Hangul, kana or CJK ideographs: each character is a syllable or a word."""
    return all(unicodedata.name(char, "").startswith(("HANGUL", "CJK", "HIRAGANA", "KATAKANA"))
               for char in value if not char.isspace())


def meaningful(value: str) -> bool:
    value = value.strip()
    if _is_syllabic(value):
        return len(value) >= MIN_SYLLABIC_LENGTH
    return len(value) >= MIN_LENGTH


def _text_values(obj: models.Model) -> Iterable[tuple[str, str]]:
    label = obj._meta.label_lower
    for field in obj._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)) or field.choices:
            continue
        if isinstance(field, models.SlugField):
            continue
        if (label, field.name) in GENERIC_FIELDS:
            continue
        value = getattr(obj, field.attname)
        if isinstance(value, str) and meaningful(value):
            yield value.strip(), f"{obj._meta.object_name}.{field.name}"


def _children(obj: models.Model) -> Iterable[models.Model]:
    """Records pointing at `obj` (reverse foreign keys and one-to-ones), deleted ones included."""
    # include_hidden: relations declared with related_name="+" (duplicate candidates, merges) count too.
    for relation in obj._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete) or relation.many_to_many:
            continue
        model = relation.related_model
        manager = getattr(model, "all_objects", model._base_manager)
        yield from manager.filter(**{relation.field.name: obj})


def records_of(*roots: models.Model) -> list[models.Model]:
    """`roots` and every record below them, each once."""
    seen: dict[tuple[str, object], models.Model] = {}
    pending = list(roots)
    while pending:
        obj = pending.pop()
        key = (obj._meta.label_lower, obj.pk)
        if key in seen:
            continue
        seen[key] = obj
        pending.extend(_children(obj))
    return list(seen.values())


def personal_values(case) -> dict[str, str]:
    """Every meaningful text value of `case`'s records → where it comes from (for failure messages)."""
    values: dict[str, str] = {}
    for obj in records_of(case, case.household):
        for value, where in _text_values(obj):
            values.setdefault(value, where)
    return values


def confidential_values(case) -> dict[str, str]:
    """The values a volunteer of the case's sponsor group may never receive: confidential notes and files,
    vulnerabilities and identity documents (README, "Roles and access")."""
    values: dict[str, str] = {}
    for obj in records_of(case, case.household):
        if isinstance(obj, (Note, Attachment)) and not obj.confidential:
            continue
        if isinstance(obj, (Note, Attachment, Vulnerability, IdentityDocument)):
            for value, where in _text_values(obj):
                values.setdefault(value, where)
    return values


def found(text: str, values: dict[str, str]) -> list[str]:
    """The values (with where they come from) that occur in `text`, raw or HTML-escaped."""
    unescaped = html.unescape(text)
    return [f"{where} {value!r}" for value, where in values.items() if value in text or value in unescaped]
