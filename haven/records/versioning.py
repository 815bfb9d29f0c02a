"""Edit conflicts: two people who open the same record and both save must not silently undo each other.

Every editable record carries a version; a write states the version it was based on, and a stale one raises
EditConflict. The web answers with a page showing both versions, the API with 412 Precondition Failed."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class EditConflict(Exception):
    """The record changed since the writer read it. `current` is the record as stored now."""

    message = _("Someone else changed this record after you opened it. Your changes were not saved.")

    def __init__(self, current, *, expected_version: int | None = None) -> None:
        super().__init__(str(self.message))
        self.current = current
        self.expected_version = expected_version
