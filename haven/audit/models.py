"""The append-only, MAC-chained audit log.

Each entry stores the MAC of the previous entry and an HMAC-SHA256 of its own content under a key the database
never sees (`key_id` names it; haven.audit.keys), so that altering, removing or reordering any row breaks the
chain (`haven audit verify`) and nobody without the key can recompute it. The chain's head is also checkpointed
outside the database (haven.audit.checkpoint), so removing entries at the end, or all of them, is caught too. The
database refuses UPDATE and DELETE on the table (triggers in the migrations), so only someone who can drop a
trigger can tamper, and verification still catches them.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    DOWNLOAD = "download", _("Downloaded")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Logged out")
    MERGE = "merge", _("Merged")
    UNMERGE = "unmerge", _("Un-merged")
    KEY_ROTATION = "key_rotation", _("Keys rotated")
    SECURITY = "security", _("Security setting changed")


class AuditEntry(models.Model):
    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+")
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # The chain key this entry is MACed under; "" for the plain SHA-256 entries written before the chain was keyed.
    key_id = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["object_type", "object_id", "created_at"], name="audit_object_time"),
            models.Index(fields=["case_id", "created_at"], name="audit_case_time"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """One row: the last sequence number and hash. Locking it serializes appends."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
