"""Edit conflicts: two people who open the same record and both save must not silently undo each other.

Every editable record carries a version; a write states the version it was based on, and a stale one raises
EditConflict. The web answers with a page showing both versions, the API with 412 Precondition Failed."""
from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class EditConflict(Exception):
    """The record changed since the writer read it. `current` is the record as stored now (None if it is gone)."""

    message = _("Someone else changed this record after you opened it. Your changes were not saved.")

    def __init__(self, current, *, expected_version: int | None = None) -> None:
        super().__init__(str(self.message))
        self.current = current
        self.expected_version = expected_version


class Versioned(models.Model):
    """A record people edit: `version` counts its saved edits, starting at 1. Only save_versioned changes it."""

    # db_default too: rows written by bulk loaders that bypass the model still start at version 1.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        abstract = True


def check_version(obj: Versioned, expected_version: int | None) -> None:
    """Refuse at once when the writer's version is not the one of `obj` as just read: validation messages about
    values someone else has since changed would only confuse. None: the caller has no version (an internal job)."""
    if expected_version is not None and expected_version != obj.version:
        raise EditConflict(obj, expected_version=expected_version)


def save_versioned(obj: Versioned, *, expected_version: int | None, update_fields: Iterable[str]) -> None:
    """Save `update_fields` of `obj` if its row is still at `expected_version`, and count the edit.

    The version is bumped by a conditional UPDATE (`WHERE pk = … AND version = expected`) before the values are
    written, in one transaction: a second writer that read the same version waits for the first one's row lock and
    then matches no row, so it gets EditConflict with the row as the first writer left it; nothing is overwritten.
    With `expected_version=None` the edit is counted without a check."""
    model = type(obj)
    rows = model._base_manager.filter(pk=obj.pk)
    with transaction.atomic():
        if expected_version is None:
            rows.update(version=F("version") + 1)
            new_version = rows.values_list("version", flat=True).first()
        else:
            new_version = expected_version + 1 if rows.filter(version=expected_version).update(
                version=expected_version + 1) else None
        if new_version is None:
            raise EditConflict(rows.first(), expected_version=expected_version)
        obj.version = new_version
        obj.save(update_fields=[name for name in update_fields if name != "version"])
