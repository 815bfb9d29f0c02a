"""Nothing is lost: notes, files, vulnerabilities and identity documents are never deleted from the database.

"Deleting" one moves it to its case's or person's deleted items: the default manager (`objects`) no longer
returns it, so no page, export or API endpoint shows it; `all_objects` still does, for the organization's
administrators, who can restore it. Its encrypted values stay encrypted, and key rotation covers them."""
from __future__ import annotations

from django.db import models
from django.utils import timezone

from haven.audit.models import Action
from haven.audit.services import record

MOVED_TO_DELETED = "moved to the deleted items"
RESTORED = "restored from the deleted items"


class LiveManager(models.Manager):
    """The rows not in the deleted items: what everything but the deleted-items lists reads."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


def mark_deleted(item: models.Model, actor) -> None:
    """Move `item` to the deleted items (the caller has recorded the deletion with its audited fields)."""
    item.deleted_at, item.deleted_by = timezone.now(), actor
    item.save(update_fields=["deleted_at", "deleted_by"])


def restore(actor, item: models.Model, *, case_id: int | None = None):
    """Put `item` back where it was; audited. A live item is left as it is."""
    if item.deleted_at is None:
        return item
    record(actor=actor, action=Action.UPDATE, obj=item, case_id=case_id, summary=RESTORED,
           changes={"deleted": {"old": True, "new": False}})
    item.deleted_at, item.deleted_by = None, None
    item.save(update_fields=["deleted_at", "deleted_by"])
    return item
