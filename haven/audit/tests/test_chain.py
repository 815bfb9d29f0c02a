"""The audit chain detects altered, removed and reordered rows."""
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase

from haven.audit.models import Action, AuditEntry
from haven.audit.services import diff, record
from haven.audit.verify import verify_chain
from haven.testing.factories import UserFactory


def _without_append_only_trigger(sql: str, params=()) -> None:
    """Simulate a database superuser tampering behind the application's back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
            cursor.execute(sql, params)


class AuditChainTests(TestCase):
    def setUp(self):
        self.user = UserFactory()
        for i in range(5):
            record(actor=self.user, action=Action.UPDATE, summary=f"change {i}",
                   changes=diff({"status": "open"}, {"status": f"closed-{i}"}))
        self.entries = list(AuditEntry.objects.order_by("seq"))

    def verify_output(self):
        out = StringIO()
        call_command("audit", "verify", stdout=out)
        return out.getvalue()

    def test_intact_chain_verifies(self):
        self.assertTrue(verify_chain().ok)
        self.assertIn("audit chain OK: 5 entries", self.verify_output())

    def test_altered_row_is_named(self):
        _without_append_only_trigger("UPDATE audit_auditentry SET summary = %s WHERE seq = 3", ["nothing to see"])
        with self.assertRaisesMessage(CommandError, "BROKEN at entry #3"):
            self.verify_output()

    def test_removed_row_is_named(self):
        _without_append_only_trigger("DELETE FROM audit_auditentry WHERE seq = 2")
        with self.assertRaisesMessage(CommandError, "BROKEN at entry #2: entry #2 is missing"):
            self.verify_output()

    def test_removed_last_row_is_detected(self):
        _without_append_only_trigger("DELETE FROM audit_auditentry WHERE seq = 5")
        result = verify_chain()
        self.assertFalse(result.ok)
        self.assertEqual(result.bad_seq, 5)
        self.assertIn("missing", result.reason)

    def test_reordered_rows_are_detected(self):
        _without_append_only_trigger("UPDATE audit_auditentry SET seq = -1 WHERE seq = 2")
        _without_append_only_trigger("UPDATE audit_auditentry SET seq = 2 WHERE seq = 4")
        _without_append_only_trigger("UPDATE audit_auditentry SET seq = 4 WHERE seq = -1")
        result = verify_chain()
        self.assertFalse(result.ok)
        self.assertEqual(result.bad_seq, 2)

    def test_database_refuses_updates(self):
        from django.db import DatabaseError, transaction

        with self.assertRaises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(seq=1).update(summary="rewritten")

    def test_sensitive_values_are_redacted(self):
        changes = diff({"phone": "+1 416 555 0199"}, {"phone": "+1 416 555 0100"}, sensitive=["phone"])
        self.assertEqual(changes, {"phone": {"old": "[redacted]", "new": "[redacted]"}})


class BulkAppendTests(TestCase):
    def test_a_large_batch_keeps_the_chain_valid(self):
        from haven.audit.services import COPY_THRESHOLD, Event, record_events

        user = UserFactory()
        record(actor=user, action=Action.VIEW, summary="before the batch")
        events = [Event(action=Action.IMPORT, object_type="people.person", object_id=str(i), case_id=i,
                        changes={"name": {"old": "", "new": f"리명철 {i}"}}) for i in range(COPY_THRESHOLD + 50)]
        record_events(actor=user, events=events)
        record(actor=user, action=Action.VIEW, summary="after the batch")
        self.assertEqual(AuditEntry.objects.count(), COPY_THRESHOLD + 52)
        self.assertEqual(AuditEntry.objects.get(seq=10).changes, {"name": {"old": "", "new": "리명철 8"}})
        self.assertTrue(verify_chain().ok)
        # The batch's rows are stored as the ORM stores a single entry (same column text, same types).
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT seq, created_at, changes, case_id, actor_id FROM audit_auditentry "
                           "WHERE seq IN (1, 10, %s) ORDER BY seq", [COPY_THRESHOLD + 52])
            single, batch, after = cursor.fetchall()
        self.assertEqual([type(value) for value in batch], [type(value) for value in single[:3]] + [int, int])
        self.assertEqual(type(batch[2]), type(after[2]))
        self.assertEqual(len(str(batch[1])), len(str(after[1])))  # the timestamp written the same way
        if connection.vendor == "sqlite":
            self.assertEqual(batch[2], '{"name": {"old": "", "new": "\\ub9ac\\uba85\\ucca0 8"}}')
