"""Keeping the chain anchored outside the database: the minute checkpoint and the rotation of the audit key."""
from __future__ import annotations

from django.conf import settings

from haven.audit import anchor, keys
from haven.audit.checkpoint import Checkpoint, CheckpointError, last_checkpoint, read_checkpoints, write_checkpoint
from haven.audit.models import AuditEntry, AuditHead
from haven.audit.verify import ChainWalk, verify_chain


def _configured_keys() -> dict:
    try:
        return keys.keys_by_id()
    except keys.AuditKeyError:
        return {}


def _check_since(last: Checkpoint, chain_keys: dict) -> None:
    """The entries from the last checkpoint on still start with the checkpointed entry and chain from it."""
    entries = AuditEntry.objects.filter(seq__gte=last.seq).order_by("seq").iterator(chunk_size=5000)
    first = next(entries, None)
    if first is None or first.seq != last.seq or first.hash != last.mac:
        raise CheckpointError(f"entry #{last.seq}, checkpointed at {last.at}, is missing or was replaced: not "
                              "checkpointing; run `haven audit verify`")
    walk = ChainWalk(chain_keys, expected_seq=first.seq + 1, prev_hash=first.hash, keyed=bool(first.key_id),
                     checked=first.seq)
    for entry in entries:
        reason = walk.step(entry)
        if reason:
            raise CheckpointError(f"not checkpointing: {reason}; run `haven audit verify`")


def checkpoint_head() -> Checkpoint | None:
    """Write the head outside the database (durably), once the entries since the last checkpoint are checked, so
    that a truncation is reported instead of being recorded as the new normal."""
    chain_keys = _configured_keys()
    last = last_checkpoint(read_checkpoints())
    if last is None:
        result = verify_chain(keys=chain_keys, checkpoints=[])
        if not result.ok:
            raise CheckpointError(f"not checkpointing: entry #{result.bad_seq}: {result.reason}")
    else:
        _check_since(last, chain_keys)
    head = AuditEntry.objects.order_by("-seq").first()
    if head is None:
        return None
    checkpoint = Checkpoint(seq=head.seq, mac=head.hash, key_id=head.key_id, kind="minute")
    write_checkpoint(checkpoint, durable=True)
    return checkpoint


def rotate_key(*, actor=None) -> AuditEntry:
    """Re-anchor the chain under the primary audit key, countersigned by the key of the entries before it.

    On a laptop (no HAVEN_AUDIT_KEYS) a new local key is generated first. With HAVEN_AUDIT_KEYS the operator puts
    the new key first and keeps the old one after it; entries written under the old key after this rotation are
    refused by `haven audit verify`."""
    if not AuditEntry.objects.exists():
        raise keys.AuditKeyError("the audit chain is empty: there is nothing to re-anchor")
    if not settings.HAVEN_AUDIT_KEYS:
        keys.configured_secrets()  # raises in production; on a laptop makes sure the file exists
        keys.add_local_secret(keys.new_secret())
    new = keys.primary_key()
    previous = AuditEntry.objects.exclude(key_id="").exclude(key_id=new.id).order_by("-seq").first()
    if previous is None:
        raise keys.AuditKeyError(f"every entry is already MACed under key {new.id}: put the new key first in "
                                 "HAVEN_AUDIT_KEYS, keep the old one after it, and run rotate-key again")
    old = keys.keys_by_id().get(previous.key_id)
    if old is None:
        raise keys.AuditKeyError(f"entry #{previous.seq} is MACed under key {previous.key_id}, which is not "
                                 "configured: keep it after the new key in HAVEN_AUDIT_KEYS")
    return anchor.rotate_to(AuditEntry, AuditHead, old=old, new=new, actor=actor)
