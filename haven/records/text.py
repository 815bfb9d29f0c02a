"""Text that may be stored: control characters and NUL are refused wherever text enters (docs/architecture.md).

A control character (Unicode category Cc: U+0000 to U+001F and U+007F to U+009F) other than tab, line feed and
carriage return is invisible on screen but not harmless: PostgreSQL refuses NUL in text, and XLSX (XML 1.0)
cannot hold most of them, so one such name once stored makes every spreadsheet export of its case fail. Tab and
line breaks stay allowed: multi-line notes and addresses need them, and in single-line fields they are as
harmless as any other white space.

Every entry point gives the same message: the services (`check_safe_text`, `check_safe_fields`), forms
(`SafeTextForm`), API serializers (`use_safe_text_validator` on their text fields) and the import readers
(`unsafe_character_message`) and the importers' row validation (`unsafe_cells`), in the reader's language."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Category Cc minus \t \n \r (checked against unicodedata in the tests). One compiled class: a whole file can be
# scanned in one pass before looking at its cells one by one.
UNSAFE_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CODE = "control_character"
TEXT_FIELDS = (models.CharField, models.TextField)
MESSAGE = _("Remove the control character %(character)s from this text.")


def find_unsafe_character(value: str) -> str | None:
    """The first refused character of `value`, or None."""
    found = UNSAFE_CHARACTER.search(value)
    return found.group() if found else None


def character_name(character: str) -> str:
    return f"U+{ord(character):04X}"


def unsafe_character_message(value: str) -> str | None:
    """The message (translated now) for the first refused character of `value`, or None when it may be stored."""
    character = find_unsafe_character(value)
    return None if character is None else str(MESSAGE % {"character": character_name(character)})


def unsafe_cells(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(column, message) for each value of an import row holding a refused character; [] for a clean row.

    Rows a program hands to an importer (the demo, tests, benchmarks) skip the file reader's scan, so each
    importer checks its rows too. One search over the row's values joined by a line feed (allowed, so the joint
    itself never matches) keeps a clean row at one regex call; the cells are looked at one by one only on a hit."""
    if not UNSAFE_CHARACTER.search("\n".join(value for value in values.values() if isinstance(value, str))):
        return []
    return [(column, message) for column, value in values.items()
            if isinstance(value, str) and (message := unsafe_character_message(value))]


def replace_unsafe_characters(value: str, replacement: str = "\ufffd") -> str:
    """`value` with each control character replaced (by the replacement character, visibly): for writers that
    must not fail on text stored before the check, such as the XLSX export."""
    return UNSAFE_CHARACTER.sub(replacement, value)


def validate_safe_text(value: Any) -> None:
    """A field validator (forms, serializers, model fields): refuses text holding a control character."""
    if isinstance(value, str):
        character = find_unsafe_character(value)
        if character is not None:
            raise ValidationError(MESSAGE, code=CODE, params={"character": character_name(character)})


def check_safe_text(value: Any, *, field: str | None = None) -> None:
    """Raise ValidationError (keyed by `field` when given) if `value` holds a control character."""
    try:
        validate_safe_text(value)
    except ValidationError as error:
        raise (ValidationError({field: [error]}) if field else error) from None


def check_safe_fields(source: Any, names: Iterable[str] | None = None) -> None:
    """Check the text values of a model instance or a mapping; one ValidationError keyed by every field refused.

    `names` defaults to every editable text field of the instance (CharField, TextField and their subclasses,
    the encrypted ones included) or every key of the mapping."""
    if isinstance(source, Mapping):
        values = {name: source.get(name) for name in (source.keys() if names is None else names)}
    else:
        if names is None:
            # Fields nobody types (search keys) are derived from checked ones; an error on them would name nothing
            # the writer can correct.
            names = [f.attname for f in source._meta.concrete_fields if isinstance(f, TEXT_FIELDS) and f.editable]
        values = {name: getattr(source, name, None) for name in names}
    errors: dict[str, list[ValidationError]] = {}
    for name, value in values.items():
        try:
            validate_safe_text(value)
        except ValidationError as error:
            errors[name] = [error]
    if errors:
        raise ValidationError(errors)


def use_safe_text_validator(field: Any) -> None:
    """Give a form or serializer text field the one message: Django's and DRF's own NUL check ("Null characters
    are not allowed.") is replaced by validate_safe_text, which covers NUL and the other control characters."""
    validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
    if validate_safe_text not in validators:
        validators.append(validate_safe_text)
    field.validators = validators


class SafeTextForm(forms.Form):
    """A form whose text fields refuse control characters with the services' message. Applied when the form
    validates, so fields a subclass adds or copies in its __init__ are covered too."""

    def full_clean(self) -> None:
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                use_safe_text_validator(field)
        super().full_clean()
        self._trim_refused_text()

    def _trim_refused_text(self) -> None:
        """A text refused for its length is not sent back whole (a 5 MB note would come back inside a larger
        page): the form shows again only as much as the field keeps, next to the error that gives the length."""
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            limit = getattr(field, "max_length", None)
            value = self.data.get(key) if isinstance(field, forms.CharField) and limit else None
            if isinstance(value, str) and len(value) > limit:
                if getattr(self.data, "_mutable", True) is False:
                    self.data = self.data.copy()
                self.data[key] = value[:limit]
