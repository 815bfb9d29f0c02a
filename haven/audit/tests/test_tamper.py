"""The database's owner cannot quietly shorten or rewrite the audit log (issue 14, defect 1): removing the last
entries and the head row, rewriting an entry and recomputing every later hash without the key, removing the head
row, or emptying the table each makes `haven audit verify` fail naming the first missing or bad entry. Runs on
SQLite and on PostgreSQL."""
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, override_settings

from haven.audit import chain, keys
from haven.audit.anchor import anchor_plain_chain
from haven.audit.checkpoint import CheckpointError, read_checkpoints
from haven.audit.models import Action, AuditEntry, AuditHead
from haven.audit.services import GENESIS_HASH, entry_hash, record
from haven.audit.verify import verify_chain
from haven.db.auditlog import ChainKey, entry_digest

ENTRIES = 40


def tamper(*statements: tuple[str, list]) -> None:
    """Act as the database's owner: switch the append-only trigger off, run the statements, switch it back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        for sql, params in statements:
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")


def _digest(entry, key) -> str:
    fields = dict(seq=entry.seq, created_at=entry.created_at, actor_id=entry.actor_id, actor_label=entry.actor_label,
                  action=entry.action, object_type=entry.object_type, object_id=entry.object_id,
                  case_id=entry.case_id, summary=entry.summary, changes=entry.changes, ip_address=entry.ip_address,
                  prev_hash=entry.prev_hash)
    return entry_hash(**fields) if key is None else entry_digest(key=key, **fields)


def rewrite_from(seq: int, summary: str, *, key: ChainKey | None, key_id: str | None = None) -> None:
    """Change one entry's summary and recompute its hash and every later one (and the head), as someone who can
    write the table would: with plain SHA-256, or with a key of their own."""
    entries = list(AuditEntry.objects.filter(seq__gte=seq).order_by("seq"))
    prev = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS_HASH
    statements = []
    for entry in entries:
        entry.summary = summary if entry.seq == seq else entry.summary
        entry.prev_hash = prev
        entry.hash = prev = _digest(entry, key)
        statements.append(("UPDATE audit_auditentry SET summary = %s, prev_hash = %s, hash = %s, key_id = %s "
                           "WHERE seq = %s", [entry.summary, entry.prev_hash, entry.hash,
                                              entry.key_id if key_id is None else key_id, entry.seq]))
    tamper(*statements)
    AuditHead.objects.filter(pk=1).update(hash=prev)


class TamperTests(TestCase):
    def setUp(self):
        with self.captureOnCommitCallbacks(execute=True):  # each append checkpoints its head once committed
            for n in range(ENTRIES):
                record(actor=None, action=Action.UPDATE, summary=f"change {n}", changes={"n": n})
        self.assertEqual(read_checkpoints()[-1].seq, ENTRIES)
        self.assertTrue(verify_chain().ok)

    def assert_broken_at(self, seq: int, words: str) -> None:
        result = verify_chain()
        self.assertFalse(result.ok)
        self.assertEqual(result.bad_seq, seq, result.reason)
        self.assertIn(words, result.reason)
        with self.assertRaisesMessage(CommandError, f"audit chain BROKEN at entry #{seq}"):
            call_command("audit", "verify", stdout=StringIO())

    def test_removing_the_last_25_entries_and_the_head_row_is_detected(self):
        tamper((f"DELETE FROM audit_auditentry WHERE seq > {ENTRIES - 25}", []))
        AuditHead.objects.all().delete()
        self.assert_broken_at(ENTRIES - 24, f"entries #{ENTRIES - 24}..#{ENTRIES} are missing")

    def test_rewriting_an_entry_and_recomputing_every_later_hash_is_detected(self):
        rewrite_from(10, "nothing to see", key=None)
        self.assert_broken_at(10, "entry #10 was altered")

    def test_rewriting_with_plain_hashes_as_before_the_key_is_detected(self):
        rewrite_from(10, "nothing to see", key=None, key_id="")
        self.assert_broken_at(10, "plain hash after the chain was keyed")

    def test_rewriting_under_a_key_of_ones_own_is_detected(self):
        forged = ChainKey(id=keys.primary_key().id, secret=b"the owner's guess at the key, long enough")
        rewrite_from(10, "nothing to see", key=forged)
        self.assert_broken_at(10, "entry #10 was altered")

    def test_removing_the_head_row_is_detected(self):
        AuditHead.objects.all().delete()
        self.assert_broken_at(ENTRIES, "head row is missing")

    def test_emptying_the_table_is_detected(self):
        if connection.vendor == "postgresql":
            tamper(("TRUNCATE audit_auditentry, audit_audithead", []))
        else:  # SQLite has no TRUNCATE: DELETE without WHERE is its truncate optimisation
            tamper(("DELETE FROM audit_auditentry", []), ("DELETE FROM audit_audithead", []))
        self.assert_broken_at(1, f"entries #1..#{ENTRIES} are missing")

    def test_the_minute_checkpoint_reports_a_truncation_instead_of_recording_it(self):
        tamper((f"DELETE FROM audit_auditentry WHERE seq > {ENTRIES - 5}", []))
        AuditHead.objects.all().delete()
        with self.assertRaisesMessage(CheckpointError, f"entry #{ENTRIES}, checkpointed at"):
            chain.checkpoint_head()
        self.assertEqual(read_checkpoints()[-1].seq, ENTRIES)

    def test_the_minute_checkpoint_records_the_head(self):
        with self.captureOnCommitCallbacks(execute=False):  # appends whose own checkpoint was lost
            record(actor=None, action=Action.VIEW, summary="after the last checkpoint")
        call_command("audit", "checkpoint", stdout=StringIO())
        last = read_checkpoints()[-1]
        self.assertEqual((last.seq, last.kind), (ENTRIES + 1, "minute"))
        self.assertEqual(last.mac, AuditEntry.objects.get(seq=ENTRIES + 1).hash)

    def test_verify_against_a_copy_of_the_checkpoints_gathered_elsewhere(self):
        copy = self.settings_dir() / "from-syslog.log"
        copy.write_text("".join(f"<86>Dec  5 haven: haven-audit-checkpoint {c.line()}" for c in read_checkpoints()))
        tamper((f"DELETE FROM audit_auditentry WHERE seq > {ENTRIES - 3}", []))
        AuditHead.objects.all().delete()
        with self.assertRaisesMessage(CommandError, f"BROKEN at entry #{ENTRIES - 2}"):
            call_command("audit", "verify", "--checkpoints", str(copy), stdout=StringIO())

    def settings_dir(self):
        from django.conf import settings

        return settings.HAVEN_AUDIT_CHECKPOINT_FILE.parent


class RotationTests(TestCase):
    def test_rotation_re_anchors_and_retires_the_old_key(self):
        old, new = keys.new_secret(), keys.new_secret()
        with override_settings(HAVEN_AUDIT_KEYS=[old]), self.captureOnCommitCallbacks(execute=True):
            record(actor=None, action=Action.VIEW, summary="under the old key")
        with override_settings(HAVEN_AUDIT_KEYS=[new, old]), self.captureOnCommitCallbacks(execute=True):
            out = StringIO()
            call_command("audit", "rotate-key", stdout=out)
            self.assertIn(f"re-anchored at entry #2 under key {keys.key_id(new)}", out.getvalue())
            record(actor=None, action=Action.VIEW, summary="under the new key")
            self.assertTrue(verify_chain().ok)
            rotation = AuditEntry.objects.get(seq=2)
            self.assertEqual(rotation.changes["audit_key"], {"old": keys.key_id(old), "new": keys.key_id(new)})
        self.assertEqual([(c.seq, c.kind) for c in read_checkpoints()], [(1, "append"), (2, "anchor"), (3, "append")])
        with override_settings(HAVEN_AUDIT_KEYS=[new, old]):
            # Whoever kept the old key cannot add entries under it after the rotation.
            with override_settings(HAVEN_AUDIT_KEYS=[old, new]):
                record(actor=None, action=Action.VIEW, summary="forged under the retired key")
            result = verify_chain()
            self.assertEqual((result.ok, result.bad_seq), (False, 4))
            self.assertIn("retired by the rotation at entry #2", result.reason)

    def test_rotation_needs_the_new_key_first(self):
        with override_settings(HAVEN_AUDIT_KEYS=[keys.new_secret()]):
            record(actor=None, action=Action.VIEW)
            with self.assertRaisesMessage(CommandError, "put the new key first"):
                call_command("audit", "rotate-key", stdout=StringIO())

    def test_an_entry_under_a_key_no_longer_configured_is_named(self):
        with override_settings(HAVEN_AUDIT_KEYS=[keys.new_secret()]):
            record(actor=None, action=Action.VIEW)
        with override_settings(HAVEN_AUDIT_KEYS=[keys.new_secret()]):
            result = verify_chain()
        self.assertEqual((result.ok, result.bad_seq), (False, 1))
        self.assertIn("which is not configured", result.reason)


class PlainChainAnchorTests(TestCase):
    """Entries written before the chain was keyed are kept and anchored (what audit migration 0004 does)."""

    def setUp(self):
        prev = GENESIS_HASH
        for seq in range(1, 6):  # plain SHA-256 entries, as the old code wrote them
            entry = AuditEntry(seq=seq, created_at="2026-11-01T12:00:00+00:00", actor_label="system",
                               action="view", summary=f"old {seq}", changes={}, prev_hash=prev)
            entry.created_at = AuditEntry._meta.get_field("created_at").to_python(entry.created_at)
            entry.hash = prev = _digest(entry, None)
            entry.save()
        AuditHead.objects.update_or_create(pk=1, defaults={"seq": 5, "hash": prev})
        with self.captureOnCommitCallbacks(execute=True):
            self.anchor = anchor_plain_chain(AuditEntry, AuditHead, key=keys.primary_key())

    def test_the_anchor_links_to_the_plain_entries_and_verifies(self):
        self.assertEqual((self.anchor.seq, self.anchor.changes["anchored_through"]), (6, 5))
        self.assertEqual(read_checkpoints()[-1].kind, "anchor")
        record(actor=None, action=Action.VIEW, summary="keyed")
        self.assertTrue(verify_chain().ok)
        self.assertIsNone(anchor_plain_chain(AuditEntry, AuditHead, key=keys.primary_key()))

    def test_rewriting_a_plain_entry_behind_the_anchor_is_detected(self):
        rewrite_from(3, "rewritten", key=None, key_id="")
        result = verify_chain()
        self.assertEqual((result.ok, result.bad_seq), (False, 6))
