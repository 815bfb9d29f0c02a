"""Nothing is lost: notes, files, vulnerabilities and identity documents are never deleted from the database.

"Deleting" one moves it to its case's or person's deleted items: the default manager (`objects`) no longer
returns it, so no page, export or API endpoint shows it; `all_objects` still does, for the organization's
administrators, who can restore it. Its encrypted values stay encrypted, and key rotation covers them."""
from __future__ import annotations

from django.conf import settings
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


class SoftDeletable(models.Model):
    """A record that "deleting" moves to its case's or person's deleted items instead of removing.

    `objects` (the default manager) reads the live rows only; `all_objects` reads every row, for the deleted-items
    lists and restoring. Related lookups (note.versions.note, a deleted attachment's content) go through
    `all_objects` as the base manager, so a deleted row is still reachable from its children. A subclass that
    declares its own Meta inherits this one: `class Meta(SoftDeletable.Meta)`."""

    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"


def is_soft_deletable(model: type[models.Model]) -> bool:
    """Whether removing a `model` row moves it to the deleted items (True) or deletes it (False)."""
    return issubclass(model, SoftDeletable)


def move_to_deleted(actor, item: SoftDeletable, *, changes: dict, case_id: int | None = None) -> None:
    """Move `item` to the deleted items; audited as a deletion with `changes` (its fields, sensitive ones
    redacted by the caller's audit.diff)."""
    record(actor=actor, action=Action.DELETE, obj=item, case_id=case_id, summary=MOVED_TO_DELETED, changes=changes)
    item.deleted_at, item.deleted_by = timezone.now(), actor
    item.save(update_fields=["deleted_at", "deleted_by"])


def deleted_rows(model: type[SoftDeletable], **parent) -> models.QuerySet:
    """The rows of `model` under `parent` (case=..., person=...) that wait in the deleted items, newest first."""
    return model.all_objects.filter(deleted_at__isnull=False, **parent).order_by("-deleted_at")


def restore(actor, item: SoftDeletable, *, case_id: int | None = None):
    """Put `item` back where it was; audited. A live item is left as it is."""
    if item.deleted_at is None:
        return item
    record(actor=actor, action=Action.UPDATE, obj=item, case_id=case_id, summary=RESTORED,
           changes={"deleted": {"old": True, "new": False}})
    item.deleted_at, item.deleted_by = None, None
    item.save(update_fields=["deleted_at", "deleted_by"])
    return item
