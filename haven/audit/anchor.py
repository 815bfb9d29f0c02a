"""Re-anchoring the chain under a key: once when the plain SHA-256 chain became keyed (audit migration 0004), and
at each rotation of the audit key (`haven audit rotate-key`).

An anchor is an ordinary entry (action key_rotation) MACed under the new key whose payload holds the MAC or hash
of the entry before it, so the new key vouches for the whole chain up to it: whoever later learns an old key still
cannot rewrite an entry without breaking the link into the anchor. A rotation entry is also countersigned by the
old key (HMAC of the new key's id and the link), recording that the holder of the old key made the change. Its
head is checkpointed at once, durably."""
from __future__ import annotations

import hashlib
import hmac

from django.db import transaction
from django.utils import timezone

from haven.audit.checkpoint import Checkpoint, write_checkpoint
from haven.db.auditlog import Author, ChainKey, append_entries

ANCHOR_ACTION = "key_rotation"


class _Anchor:
    action = ANCHOR_ACTION
    object_type = "audit.chain"
    object_id = ""
    case_id = None

    def __init__(self, summary: str):
        self.summary = summary


def countersignature(old: ChainKey, new_key_id: str, link: str) -> str:
    return hmac.new(old.secret, f"rotate:{new_key_id}:{link}".encode(), hashlib.sha256).hexdigest()


def append_anchor(entry_model, head_model, *, key: ChainKey, summary: str, changes: dict, actor=None):
    """Append the anchor entry under `key` and checkpoint it once committed. Models are given (a migration's
    historical ones, or the app's)."""
    actor_id = actor.pk if actor is not None else None
    author = Author(created_at=timezone.now(), actor_id=actor_id,
                    actor_label=actor.get_username() if actor is not None else "system", ip_address="")
    with transaction.atomic():
        entry = append_entries(entry_model, head_model, [_Anchor(summary)], [changes], author=author, key=key)[0]
        transaction.on_commit(lambda: write_checkpoint(
            Checkpoint(seq=entry.seq, mac=entry.hash, key_id=entry.key_id, kind="anchor"), durable=True))
    return entry


def anchor_plain_chain(entry_model, head_model, *, key: ChainKey):
    """The first keyed entry after the plain SHA-256 ones (audit migration 0004); None on an empty chain."""
    last = entry_model.objects.order_by("-seq").first()
    if last is None or last.key_id:
        return None
    return append_anchor(entry_model, head_model, key=key,
                         summary=f"audit chain keyed: entries 1..{last.seq} anchored under key {key.id}",
                         changes={"anchored_through": last.seq, "anchored_hash": last.hash, "key_id": key.id})


def rotate_to(entry_model, head_model, *, old: ChainKey, new: ChainKey, actor=None):
    """The rotation entry: MACed under `new`, countersigned by `old`, linking to the current head."""
    with transaction.atomic():
        head = head_model.objects.select_for_update().filter(pk=1).first()
        link = head.hash if head is not None else ""
        changes = {"audit_key": {"old": old.id, "new": new.id}, "linked_hash": link,
                   "countersignature": countersignature(old, new.id, link)}
        return append_anchor(entry_model, head_model, key=new, actor=actor, changes=changes,
                             summary=f"audit key rotated from {old.id} to {new.id}")
