"""Shared record mechanics that every domain app uses (docs/architecture.md): soft deletion, edit versions,
safe text and dates of things that have happened. Imports only haven.audit below it."""
from haven.records.softdelete import (
    MOVED_TO_DELETED,
    RESTORED,
    LiveManager,
    SoftDeletable,
    deleted_rows,
    is_soft_deletable,
    move_to_deleted,
    restore,
)
from haven.records.versioning import EditConflict, Versioned, check_version, save_versioned

__all__ = ["MOVED_TO_DELETED", "RESTORED", "EditConflict", "LiveManager", "SoftDeletable", "Versioned", "check_version",
           "deleted_rows", "is_soft_deletable", "move_to_deleted", "restore", "save_versioned"]
