"""Checking the audit chain end to end."""
from __future__ import annotations

from dataclasses import dataclass

from haven.audit.models import AuditEntry, AuditHead
from haven.audit.services import GENESIS_HASH, entry_hash


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    bad_id: int | None = None
    reason: str = ""


def verify_chain(*, chunk_size: int = 5000) -> VerifyResult:
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size)
    for entry in entries:
        if entry.seq != expected_seq:
            return VerifyResult(False, checked, entry.seq, entry.pk,
                                f"entry #{entry.seq} follows #{expected_seq - 1}: "
                                f"entries {expected_seq}..{entry.seq - 1} are missing")
        if entry.prev_hash != prev_hash:
            return VerifyResult(False, checked, entry.seq, entry.pk,
                                f"entry #{entry.seq} does not link to the entry before it (reordered or replaced)")
        digest = entry_hash(seq=entry.seq, created_at=entry.created_at, actor_id=entry.actor_id,
                            actor_label=entry.actor_label, action=entry.action, object_type=entry.object_type,
                            object_id=entry.object_id, case_id=entry.case_id, summary=entry.summary,
                            changes=entry.changes, ip_address=entry.ip_address, prev_hash=entry.prev_hash)
        if digest != entry.hash:
            return VerifyResult(False, checked, entry.seq, entry.pk,
                                f"entry #{entry.seq} was altered: its content does not match its hash")
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != checked or head.hash != prev_hash):
        return VerifyResult(False, checked, checked + 1, None,
                            f"the chain ends at #{checked} but the head records #{head.seq}: "
                            "entries at the end were removed")
    return VerifyResult(True, checked)
