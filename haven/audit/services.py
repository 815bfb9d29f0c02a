"""Appending to the audit log. Call these inside the service's transaction.

What an entry says is decided here (events, actor, changes, redaction); how it is chained, hashed and stored is
haven.db.auditlog's."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from haven.audit import keys
from haven.audit.checkpoint import note_append
from haven.audit.context import request_ip
from haven.audit.models import Action, AuditEntry, AuditHead
from haven.db.auditlog import (  # noqa: F401  (the chain's format, re-exported for haven.audit.verify and tests)
    COPY_THRESHOLD,
    GENESIS_HASH,
    Author,
    append_entries,
    chain_payload,
    entry_digest,
    entry_hash,
    hashed_fields,
)

REDACTED = "[redacted]"
# The summary of every entry written for a change made in the Django admin (haven.web.admin_site).
ADMIN_SUMMARY = "changed in the Django admin"


@dataclass(frozen=True)
class Event:
    action: str
    object_type: str = ""
    object_id: str = ""
    case_id: int | None = None
    summary: str = ""
    changes: Mapping[str, Any] = field(default_factory=dict)


def object_label(obj: models.Model) -> str:
    return obj._meta.label_lower


def event_for(action: str, obj: models.Model | None, *, case_id: int | None = None, summary: str = "",
              changes: Mapping[str, Any] | None = None) -> Event:
    return Event(
        action=action,
        object_type=object_label(obj) if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        case_id=case_id,
        summary=summary[:300],
        changes=dict(changes or {}),
    )


def _actor_fields(actor) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "system" if actor is None else "anonymous"
    return actor.pk, actor.get_username()


def record_events(*, actor, events: Iterable[Event], ip_address: str | None = None) -> list[AuditEntry]:
    """Append events to the chain, in order, under the chain lock, MACed under the primary audit key; once the
    transaction commits, the new head is checkpointed outside the database."""
    events = list(events)
    if not events:
        return []
    actor_id, actor_label = _actor_fields(actor)
    ip = request_ip() if ip_address is None else ip_address
    now = timezone.now()
    # The stored changes are what the JSON column gives back, so that is what gets hashed (dict keys that are
    # not strings, tuples, dates... all come back as JSON makes them).
    changes = [json.loads(json.dumps(event.changes, default=str)) for event in events]
    rows = append_entries(AuditEntry, AuditHead, events, changes, key=keys.primary_key(),
                          author=Author(created_at=now, actor_id=actor_id, actor_label=actor_label, ip_address=ip))
    last = rows[-1]
    transaction.on_commit(lambda: note_append(last.seq, last.hash, last.key_id))
    return rows


def record(*, actor, action: str, obj: models.Model | None = None, case_id: int | None = None,
           summary: str = "", changes: Mapping[str, Any] | None = None) -> AuditEntry:
    return record_events(actor=actor, events=[event_for(action, obj, case_id=case_id, summary=summary,
                                                        changes=changes)])[0]


def record_views(*, actor, objects: Iterable[tuple[models.Model, int | None]]) -> list[AuditEntry]:
    """Log a view of each (object, case_id): reads of sensitive records are audited too."""
    return record_events(actor=actor, events=[event_for(Action.VIEW, obj, case_id=case_id)
                                              for obj, case_id in objects])


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def diff(old: Mapping[str, Any], new: Mapping[str, Any], *, sensitive: Iterable[str] = ()) -> dict[str, Any]:
    """Changed fields as {field: {"old": .., "new": ..}}; sensitive values are never kept in clear."""
    sensitive = set(sensitive)
    changes: dict[str, Any] = {}
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if name in sensitive:
            changes[name] = {"old": REDACTED if before not in (None, "") else "",
                             "new": REDACTED if after not in (None, "") else ""}
        else:
            changes[name] = {"old": _plain(before), "new": _plain(after)}
    return changes


def created_fields(new: Mapping[str, Any], *, sensitive: Iterable[str] = ()) -> dict[str, Any]:
    return diff({}, new, sensitive=sensitive)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)
