"""Checking the audit chain end to end: every entry's link and MAC, the head row, and the last checkpoint kept
outside the database (haven.audit.checkpoint)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from haven.audit.anchor import ANCHOR_ACTION, countersignature
from haven.audit.checkpoint import Checkpoint, last_checkpoint, read_checkpoints
from haven.audit.keys import AuditKeyError, keys_by_id
from haven.audit.models import AuditEntry, AuditHead
from haven.db.auditlog import GENESIS_HASH, ChainKey, entry_digest


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    bad_id: int | None = None
    reason: str = ""
    warnings: tuple[str, ...] = ()


def entry_matches(entry, key: ChainKey | None) -> bool:
    return entry.hash == entry_digest(
        key=key, seq=entry.seq, created_at=entry.created_at, actor_id=entry.actor_id,
        actor_label=entry.actor_label, action=entry.action, object_type=entry.object_type,
        object_id=entry.object_id, case_id=entry.case_id, summary=entry.summary, changes=entry.changes,
        ip_address=entry.ip_address, prev_hash=entry.prev_hash)


@dataclass
class ChainWalk:
    """The entries in sequence order, one step each; a step answers why the entry is bad, or "" when good."""

    keys: dict[str, ChainKey]
    expected_seq: int = 1
    prev_hash: str = GENESIS_HASH
    keyed: bool = False
    checked: int = 0
    bad_seq: int | None = None
    retired: dict[str, int] = field(default_factory=dict)  # key id -> the rotation entry that retired it

    def step(self, entry) -> str:
        self.bad_seq = entry.seq
        if entry.seq != self.expected_seq:
            self.bad_seq = self.expected_seq
            return (f"entry #{self.expected_seq} is missing (the next entry in the table is #{entry.seq}): "
                    f"entries #{self.expected_seq}..#{entry.seq - 1} were removed")
        if entry.prev_hash != self.prev_hash:
            return f"entry #{entry.seq} does not link to the entry before it (reordered or replaced)"
        reason = self._authenticate(entry) or self._rotation(entry)
        if reason:
            return reason
        self.prev_hash, self.expected_seq, self.checked = entry.hash, entry.seq + 1, self.checked + 1
        return ""

    def _authenticate(self, entry) -> str:
        if not entry.key_id:
            if self.keyed:
                return (f"entry #{entry.seq} carries a plain hash after the chain was keyed: it was rewritten "
                        "without the audit key")
            key = None
        else:
            key = self.keys.get(entry.key_id)
            if entry.key_id in self.retired:
                return (f"entry #{entry.seq} is MACed under key {entry.key_id}, retired by the rotation at entry "
                        f"#{self.retired[entry.key_id]}")
            if key is None:
                return (f"entry #{entry.seq} is MACed under audit key {entry.key_id}, which is not configured "
                        "(HAVEN_AUDIT_KEYS): it cannot be checked")
            self.keyed = True
        if not entry_matches(entry, key):
            return f"entry #{entry.seq} was altered: its content does not match its MAC"
        return ""


    def _rotation(self, entry) -> str:
        """A rotation entry retires the old key; its countersignature is checked when the old key is at hand."""
        rotated = entry.changes.get("audit_key") if entry.action == ANCHOR_ACTION else None
        if not isinstance(rotated, dict) or entry.object_type != "audit.chain":
            return ""
        old, new = self.keys.get(rotated.get("old")), rotated.get("new")
        signature = entry.changes.get("countersignature")
        if old is not None and (entry.changes.get("linked_hash") != entry.prev_hash
                                or signature != countersignature(old, new, entry.prev_hash)):
            return f"entry #{entry.seq} rotates the audit key but is not countersigned by the old key"
        if rotated.get("old") != new:
            self.retired[rotated.get("old")] = entry.seq
        return ""


def _configured_keys() -> dict[str, ChainKey]:
    try:
        return keys_by_id()
    except AuditKeyError:
        return {}  # an unkeyed chain still verifies; a keyed entry then names its missing key


def verify_chain(*, chunk_size: int = 5000, keys: dict[str, ChainKey] | None = None,
                 checkpoints: Iterable[Checkpoint] | None = None) -> VerifyResult:
    """Check the whole chain against the configured keys (or `keys`) and the checkpoint file (or `checkpoints`)."""
    walk = ChainWalk(_configured_keys() if keys is None else keys)
    last = last_checkpoint(read_checkpoints() if checkpoints is None else checkpoints)
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        reason = walk.step(entry)
        if not reason and last is not None and entry.seq == last.seq and entry.hash != last.mac:
            reason = (f"entry #{entry.seq} is not the entry checkpointed outside the database at {last.at} "
                      "(its MAC differs): the chain was rewritten from there or before")
        if reason:
            return VerifyResult(False, walk.checked, walk.bad_seq, entry.pk, reason)
    return _check_end(walk, last)


def _check_end(walk: ChainWalk, last: Checkpoint | None) -> VerifyResult:
    end = walk.checked
    if last is not None and end < last.seq:
        return VerifyResult(False, end, end + 1, None,
                            f"entries #{end + 1}..#{last.seq} are missing: the checkpoint outside the database "
                            f"records entry #{last.seq} ({last.at}) but the table ends at #{end}")
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        if end:
            return VerifyResult(False, end, end, None,
                                f"the chain's head row is missing (the table ends at entry #{end})")
        return VerifyResult(True, 0)
    if head.seq > end:
        return VerifyResult(False, end, end + 1, None,
                            f"entries #{end + 1}..#{head.seq} are missing: the head records entry #{head.seq} "
                            f"but the table ends at #{end}")
    if head.seq != end or head.hash != walk.prev_hash:
        return VerifyResult(False, end, head.seq + 1, None,
                            f"the head records entry #{head.seq} but the chain ends at #{end} with another MAC: "
                            "the head or the last entries were written behind the application's back")
    warnings = ()
    if last is None and walk.keyed:
        warnings = ("no checkpoint outside the database was found: entries removed at the end could not be "
                    "detected (run `haven audit checkpoint`)",)
    return VerifyResult(True, end, warnings=warnings)
