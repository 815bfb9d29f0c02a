"""haven.db.auditlog: the write paths (bulk_create, and COPY or executemany for large batches) make one chain that
`haven audit verify` accepts, MACed exactly as entry_digest."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.test import TestCase
from django.utils import timezone

from haven.audit.models import AuditEntry, AuditHead
from haven.audit.verify import verify_chain
from haven.db import auditlog
from haven.db.auditlog import COPY_THRESHOLD, GENESIS_HASH, Author, ChainKey, append_entries, entry_digest


@dataclass(frozen=True)
class Item:
    action: str
    object_type: str = ""
    object_id: str = ""
    case_id: int | None = None
    summary: str = ""


def items(count: int, label: str) -> tuple[list[Item], list[dict]]:
    events = [Item("view", "people.person", str(n), n, f"{label} 리명철 {n}") for n in range(count)]
    return events, [{"n": n, "이름": {"old": "", "new": f"金 {n}"}} for n in range(count)]


KEY = ChainKey(id="test-key", secret=b"a test audit key that is long enough")


def author(label: str = "caseworker@example.org") -> Author:
    return Author(created_at=timezone.now(), actor_id=7, actor_label=label, ip_address="203.0.113.5")


def stored_hash_matches(entry) -> bool:
    return entry.hash == entry_digest(
        key=KEY, seq=entry.seq, created_at=entry.created_at, actor_id=entry.actor_id, actor_label=entry.actor_label,
        action=entry.action, object_type=entry.object_type, object_id=entry.object_id, case_id=entry.case_id,
        summary=entry.summary, changes=entry.changes, ip_address=entry.ip_address, prev_hash=entry.prev_hash)


class AppendTests(TestCase):
    def test_every_path_continues_one_chain_that_verify_accepts(self):
        small = append_entries(AuditEntry, AuditHead, *items(3, "small"), author=author(), key=KEY)
        large = append_entries(AuditEntry, AuditHead, *items(COPY_THRESHOLD + 5, "large"), author=author("리명철"),
                               key=KEY)
        last = append_entries(AuditEntry, AuditHead, *items(1, "last"), author=author(), key=KEY)
        entries = [*small, *large, *last]
        self.assertEqual([e.seq for e in entries], list(range(1, len(entries) + 1)))
        self.assertEqual([e.prev_hash for e in entries], [GENESIS_HASH] + [e.hash for e in entries[:-1]])
        stored = list(AuditEntry.objects.order_by("seq"))
        self.assertEqual([(e.seq, e.hash) for e in stored], [(e.seq, e.hash) for e in entries])
        self.assertTrue(all(stored_hash_matches(entry) for entry in stored))
        self.assertEqual(stored[COPY_THRESHOLD].changes, {"n": COPY_THRESHOLD - 3, "이름": {"old": "",
                                                                                          "new": f"金 {COPY_THRESHOLD - 3}"}})
        self.assertEqual({entry.key_id for entry in stored}, {KEY.id})
        head = AuditHead.objects.get(pk=1)
        self.assertEqual((head.seq, head.hash), (entries[-1].seq, entries[-1].hash))
        result = verify_chain(keys={KEY.id: KEY})
        self.assertTrue(result.ok, result.reason)
        self.assertEqual(result.checked, len(entries))

    def test_a_missing_head_is_rebuilt_from_the_last_entry(self):
        first = append_entries(AuditEntry, AuditHead, *items(1, "first"), author=author(), key=KEY)[0]
        AuditHead.objects.all().delete()
        second = append_entries(AuditEntry, AuditHead, *items(1, "second"), author=author(), key=KEY)[0]
        self.assertEqual((second.seq, second.prev_hash), (first.seq + 1, first.hash))
        self.assertTrue(verify_chain(keys={KEY.id: KEY}).ok)

    def test_nothing_to_append_writes_nothing(self):
        self.assertEqual(append_entries(AuditEntry, AuditHead, [], [], author=author(), key=KEY), [])
        self.assertFalse(AuditEntry.objects.exists())

    def test_the_timestamp_is_hashed_in_utc_with_microseconds(self):
        moment = dt.datetime(2026, 11, 21, 18, 0, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=9)))
        text = auditlog.hashed_fields(created_at=moment, actor_id=None, actor_label="system", action="view",
                                      object_type="", object_id="", case_id=None, summary="", changes={},
                                      ip_address="")
        self.assertTrue(text.startswith('"2026-11-21T09:00:00.000005+00:00",null,"system"'))
