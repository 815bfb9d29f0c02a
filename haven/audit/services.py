"""Appending to the audit log. Call these inside the service's transaction."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from haven.audit.context import request_ip
from haven.audit.models import Action, AuditEntry, AuditHead
from haven.transfer.bulk import sqlite_insert

GENESIS_HASH = "0" * 64
REDACTED = "[redacted]"


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


def hashed_fields(*, created_at: dt.datetime, actor_id: int | None, actor_label: str, action: str,
                  object_type: str, object_id: str, case_id: int | None, summary: str, changes: Mapping[str, Any],
                  ip_address: str) -> str:
    """The JSON of an entry's hashed fields between `seq` and `prev_hash`, without the enclosing brackets.

    The hashed payload is `[seq,<these fields>,prev_hash]` (see `chain_payload`). On PostgreSQL the database
    function `haven_audit_append` (audit migration 0003) takes this text, adds seq and prev_hash under the chain
    lock and hashes the result; `haven audit verify` hashes what `entry_hash` builds from the stored row through
    this same function, so the appending and the checking code cannot drift apart."""
    return json.dumps(
        [created_at.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"), actor_id, actor_label, action,
         object_type, object_id, case_id, summary, changes, ip_address],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )[1:-1]


def chain_payload(*, seq: int, fields: str, prev_hash: str) -> str:
    """The text an entry's hash is the SHA-256 of (UTF-8): the JSON array [seq, fields..., prev_hash].

    Written out as the database function writes it: `'[' || seq || ',' || fields || ',' || to_json(prev_hash)
    || ']'`. It equals `json.dumps([seq, *fields, prev_hash], separators=(",", ":"), ...)`, the form entries
    have always been hashed in (tested)."""
    return f"[{int(seq)},{fields},{json.dumps(prev_hash, ensure_ascii=False)}]"


def entry_hash(*, seq: int, created_at: dt.datetime, actor_id: int | None, actor_label: str, action: str,
               object_type: str, object_id: str, case_id: int | None, summary: str, changes: Mapping[str, Any],
               ip_address: str, prev_hash: str) -> str:
    fields = hashed_fields(created_at=created_at, actor_id=actor_id, actor_label=actor_label, action=action,
                           object_type=object_type, object_id=object_id, case_id=case_id, summary=summary,
                           changes=changes, ip_address=ip_address)
    return hashlib.sha256(chain_payload(seq=seq, fields=fields, prev_hash=prev_hash).encode("utf-8")).hexdigest()


def _actor_fields(actor) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "system" if actor is None else "anonymous"
    return actor.pk, actor.get_username()


def record_events(*, actor, events: Iterable[Event], ip_address: str | None = None) -> list[AuditEntry]:
    """Append events to the chain, in order, under the chain lock."""
    events = list(events)
    if not events:
        return []
    actor_id, actor_label = _actor_fields(actor)
    ip = request_ip() if ip_address is None else ip_address
    now = timezone.now()
    # The stored changes are what the JSON column gives back, so that is what gets hashed (dict keys that are
    # not strings, tuples, dates... all come back as JSON makes them).
    changes = [json.loads(json.dumps(event.changes, default=str)) for event in events]
    if connection.vendor == "postgresql" and len(events) < COPY_THRESHOLD:
        return _append_in_database(events, changes, now=now, actor_id=actor_id, actor_label=actor_label, ip=ip)
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = _rebuild_head()
        seq, prev = head.seq, head.hash
        rows = []
        for event, event_changes in zip(events, changes):
            seq += 1
            digest = entry_hash(seq=seq, created_at=now, actor_id=actor_id, actor_label=actor_label,
                                action=event.action, object_type=event.object_type, object_id=event.object_id,
                                case_id=event.case_id, summary=event.summary, changes=event_changes,
                                ip_address=ip, prev_hash=prev)
            rows.append(AuditEntry(seq=seq, created_at=now, actor_id=actor_id, actor_label=actor_label,
                                   action=event.action, object_type=event.object_type, object_id=event.object_id,
                                   case_id=event.case_id, summary=event.summary, changes=event_changes,
                                   ip_address=ip, prev_hash=prev, hash=digest))
            prev = digest
        _insert_entries(rows)
        head.seq, head.hash = seq, prev
        head.save(update_fields=["seq", "hash"])
    return rows


def _append_in_database(events: list[Event], changes: list[Any], *, now: dt.datetime, actor_id: int | None,
                        actor_label: str, ip: str) -> list[AuditEntry]:
    """PostgreSQL: one statement (its own transaction outside an atomic block) instead of five round trips.

    `haven_audit_append` (audit migration 0003) locks the head row, numbers and hashes each entry from the
    `hashed_fields` text it is given, inserts the entries with the columns read back from that same text, and
    moves the head: the stored row is the hashed text by construction."""
    texts = [hashed_fields(created_at=now, actor_id=actor_id, actor_label=actor_label, action=event.action,
                           object_type=event.object_type, object_id=event.object_id, case_id=event.case_id,
                           summary=event.summary, changes=event_changes, ip_address=ip)
             for event, event_changes in zip(events, changes)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT entry_id, entry_seq, entry_prev_hash, entry_hash FROM haven_audit_append(%s::text[])",
                       [texts])
        appended = cursor.fetchall()
    rows = []
    for event, event_changes, (pk, seq, prev, digest) in zip(events, changes, appended, strict=True):
        row = AuditEntry(id=pk, seq=seq, created_at=now, actor_id=actor_id, actor_label=actor_label,
                         action=event.action, object_type=event.object_type, object_id=event.object_id,
                         case_id=event.case_id, summary=event.summary, changes=event_changes, ip_address=ip,
                         prev_hash=prev, hash=digest)
        row._state.adding, row._state.db = False, connection.alias
        rows.append(row)
    return rows


# Above this many rows (imports, merges) PostgreSQL gets the rows by COPY: Django's bulk_create binds
# every column as a Python-quoted array, which made the audit the largest cost of a large import. SQLite gets
# them by executemany of plain tuples: bulk_create prepares every value of every instance through its field
# (13 columns × a million rows), which made the audit the largest cost of a large import there too.
COPY_THRESHOLD = 200
COPY_COLUMNS = ("seq", "created_at", "actor_id", "actor_label", "action", "object_type", "object_id", "case_id",
                "summary", "changes", "ip_address", "prev_hash", "hash")


def _insert_entries_sqlite(rows: list[AuditEntry]) -> None:
    """The rows as the ORM stores them: haven.transfer.bulk.sqlite_insert adapts the timestamp as the backend
    does; the changes go as the JSON field's text (json.dumps, as JSONField.get_prep_value)."""
    fields = [AuditEntry._meta.get_field(column) for column in COPY_COLUMNS]
    sqlite_insert(AuditEntry, fields, [
        (row.seq, row.created_at, row.actor_id, row.actor_label, row.action, row.object_type, row.object_id,
         row.case_id, row.summary, json.dumps(row.changes), row.ip_address, row.prev_hash, row.hash) for row in rows])


def _insert_entries(rows: list[AuditEntry]) -> None:
    if len(rows) < COPY_THRESHOLD or connection.vendor not in ("postgresql", "sqlite"):
        AuditEntry.objects.bulk_create(rows, batch_size=2000)
        return
    if connection.vendor == "sqlite":
        _insert_entries_sqlite(rows)
        return
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({', '.join(COPY_COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row.changes, ensure_ascii=False) if column == "changes"
                            else getattr(row, column) for column in COPY_COLUMNS])


def _rebuild_head() -> AuditHead:
    """Create the head row (after a database flush) from the last entry, if any."""
    last = AuditEntry.objects.order_by("-seq").first()
    head, _ = AuditHead.objects.get_or_create(
        pk=1, defaults={"seq": last.seq if last else 0, "hash": last.hash if last else GENESIS_HASH}
    )
    return AuditHead.objects.select_for_update().get(pk=head.pk)


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
