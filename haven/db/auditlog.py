"""The audit chain's storage: the authenticated payload of an entry, and one append (`append_entries`) with a
PostgreSQL and a SQLite backend that chain identically.

Each entry's `hash` is an HMAC-SHA256, under the chain key named by its `key_id`, of its payload, which holds the
previous entry's MAC: whoever can rewrite the table but does not hold the key (the database's owner) cannot
recompute the chain after changing or removing a row. Entries written before the chain was keyed have an empty
`key_id` and a plain SHA-256 (`entry_hash`); audit migration 0004 anchored them under a key.

The MAC is computed here, in the application, never in the database: a database function given the key could be
replaced by the database's owner with one that keeps it (why audit migration 0004 dropped `haven_audit_append`).
Under the head row's lock, entries are numbered and MACed here and inserted by bulk_create, COPY (PostgreSQL,
large batches) or executemany (SQLite, large batches). `haven audit verify` recomputes every MAC with
`entry_digest`. The entry and head models are given as arguments: this module imports no domain app."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction

from haven.db.bulk import sqlite_insert

GENESIS_HASH = "0" * 64

# Above this many rows (imports, merges) PostgreSQL gets the rows by COPY: Django's bulk_create binds
# every column as a Python-quoted array, which made the audit the largest cost of a large import. SQLite gets
# them by executemany of plain tuples: bulk_create prepares every value of every instance through its field
# (13 columns × a million rows), which made the audit the largest cost of a large import there too.
COPY_THRESHOLD = 200
COPY_COLUMNS = ("seq", "created_at", "actor_id", "actor_label", "action", "object_type", "object_id", "case_id",
                "summary", "changes", "ip_address", "prev_hash", "hash", "key_id")


def hashed_fields(*, created_at: dt.datetime, actor_id: int | None, actor_label: str, action: str,
                  object_type: str, object_id: str, case_id: int | None, summary: str, changes: Mapping[str, Any],
                  ip_address: str) -> str:
    """The JSON of an entry's hashed fields between `seq` and `prev_hash`, without the enclosing brackets.

    The MACed payload is `[seq,<these fields>,prev_hash]` (see `chain_payload`). The append and `haven audit
    verify` both build it through this function (`entry_digest`), so the appending and the checking code cannot
    drift apart."""
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


@dataclass(frozen=True)
class ChainKey:
    """A secret the chain is MACed under, and its public id (stored with each entry it MACs)."""

    id: str
    secret: bytes = field(repr=False)


def entry_digest(*, key: ChainKey | None, seq: int, created_at: dt.datetime, actor_id: int | None,
                 actor_label: str, action: str, object_type: str, object_id: str, case_id: int | None,
                 summary: str, changes: Mapping[str, Any], ip_address: str, prev_hash: str) -> str:
    """The entry's HMAC-SHA256 under `key`, or its plain SHA-256 (`entry_hash`) when key is None."""
    fields = hashed_fields(created_at=created_at, actor_id=actor_id, actor_label=actor_label, action=action,
                           object_type=object_type, object_id=object_id, case_id=case_id, summary=summary,
                           changes=changes, ip_address=ip_address)
    payload = chain_payload(seq=seq, fields=fields, prev_hash=prev_hash).encode("utf-8")
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(key.secret, payload, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Author:
    """What every entry of one append shares: when, who (id and label) and from where."""

    created_at: dt.datetime
    actor_id: int | None
    actor_label: str
    ip_address: str

    def columns(self) -> dict[str, Any]:
        return {"created_at": self.created_at, "actor_id": self.actor_id, "actor_label": self.actor_label,
                "ip_address": self.ip_address}


def append_entries(entry_model: type[models.Model], head_model: type[models.Model], events: Sequence,
                   changes: Sequence[Any], *, author: Author, key: ChainKey) -> list[models.Model]:
    """Append one entry per event (anything with action, object_type, object_id, case_id and summary), with its
    changes (as the JSON column gives them back), in order, MACed under `key`, under the chain lock; returns the
    saved entries."""
    if not events:
        return []
    return _append_under_head_lock(entry_model, head_model, events, changes, author, key)


def _event_columns(event, event_changes) -> dict[str, Any]:
    return {"action": event.action, "object_type": event.object_type, "object_id": event.object_id,
            "case_id": event.case_id, "summary": event.summary, "changes": event_changes}


def _append_under_head_lock(entry_model, head_model, events: Sequence, changes: Sequence[Any],
                            author: Author, key: ChainKey) -> list:
    """Lock the head row, MAC each entry here (entry_digest), insert them and move the head."""
    with transaction.atomic():
        head = head_model.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = _rebuild_head(entry_model, head_model)
        rows = _chained_rows(entry_model, events, changes, author, key, seq=head.seq, prev=head.hash)
        _insert_entries(entry_model, rows)
        if rows:
            head.seq, head.hash = rows[-1].seq, rows[-1].hash
        head.save(update_fields=["seq", "hash"])
    return rows


def _chained_rows(entry_model, events: Sequence, changes: Sequence[Any], author: Author, key: ChainKey, *,
                  seq: int, prev: str) -> list:
    """The entries numbered from seq + 1 and MACed in order, each linked to the one before."""
    common = author.columns()
    rows = []
    for event, event_changes in zip(events, changes):
        seq += 1
        columns = {**common, **_event_columns(event, event_changes)}
        digest = entry_digest(key=key, seq=seq, **columns, prev_hash=prev)
        rows.append(entry_model(seq=seq, **columns, prev_hash=prev, hash=digest, key_id=key.id))
        prev = digest
    return rows


def _rebuild_head(entry_model, head_model):
    """Create the head row (after a database flush) from the last entry, if any."""
    last = entry_model.objects.order_by("-seq").first()
    head, _ = head_model.objects.get_or_create(
        pk=1, defaults={"seq": last.seq if last else 0, "hash": last.hash if last else GENESIS_HASH}
    )
    return head_model.objects.select_for_update().get(pk=head.pk)


def _insert_entries(entry_model, rows: list) -> None:
    if len(rows) < COPY_THRESHOLD or connection.vendor not in ("postgresql", "sqlite"):
        entry_model.objects.bulk_create(rows, batch_size=2000)
    elif connection.vendor == "sqlite":
        _insert_entries_sqlite(entry_model, rows)
    else:
        _insert_entries_copy(entry_model, rows)


def _insert_entries_sqlite(entry_model, rows: list) -> None:
    """The rows as the ORM stores them: haven.db.bulk.sqlite_insert adapts the timestamp as the backend does;
    the changes go as the JSON field's text (json.dumps, as JSONField.get_prep_value)."""
    fields = [entry_model._meta.get_field(column) for column in COPY_COLUMNS]
    sqlite_insert(entry_model, fields, [
        (row.seq, row.created_at, row.actor_id, row.actor_label, row.action, row.object_type, row.object_id,
         row.case_id, row.summary, json.dumps(row.changes), row.ip_address, row.prev_hash, row.hash, row.key_id)
        for row in rows])


def _insert_entries_copy(entry_model, rows: list) -> None:
    table = connection.ops.quote_name(entry_model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({', '.join(COPY_COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row.changes, ensure_ascii=False) if column == "changes"
                            else getattr(row, column) for column in COPY_COLUMNS])
