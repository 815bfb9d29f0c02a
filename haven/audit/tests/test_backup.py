"""`haven backup` and `haven restore` (issue 14, defect 7), on SQLite and on PostgreSQL: every table's rows come
back, every encrypted value decrypts, the audit chain verifies; a wrong passphrase, a damaged archive and missing
keys are clear errors that write nothing."""
from pathlib import Path
from unittest import mock

from cryptography.fernet import Fernet
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from haven.audit import keys as audit_keys
from haven.audit.backup import write_backup
from haven.audit.checkpoint import read_checkpoints
from haven.audit.models import Action
from haven.audit.restore import RestoreRefused, restore_backup
from haven.audit.services import record
from haven.audit.verify import verify_chain
from haven.cases.models import AttachmentContent, Note
from haven.db.tables import backed_up_models
from haven.testing.factories import AttachmentFactory, NoteFactory
from haven.testing.personas import PersonaTestCase

PASSPHRASE = "correct horse battery staple"
BODY = "리명철 met the family at Pearson; 통역 booked. \u00e9\U0001F642"
CONTENT = bytes(range(256)) * 40


def table_counts() -> dict[str, int]:
    return {model._meta.db_table: model._base_manager.count() for model in backed_up_models()}


def empty_the_database() -> None:
    """Every table emptied, as a database that has never been migrated into has nothing in its tables."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        for model in backed_up_models():
            cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")
    ContentType.objects.clear_cache()


class BackupRestoreTests(PersonaTestCase):
    def setUp(self):
        from django.conf import settings

        self.dir = Path(settings.HAVEN_AUDIT_CHECKPOINT_FILE).parent
        with self.captureOnCommitCallbacks(execute=True):
            self.note = NoteFactory(case=self.case, author=self.owner, body=BODY)
            self.attachment = AttachmentFactory(case=self.case, uploaded_by=self.owner, filename="탈북 경위서.pdf",
                                                content=CONTENT)
            for n in range(30):
                record(actor=self.owner, action=Action.VIEW, obj=self.note, case_id=self.case.pk, summary=f"{n}")
        self.before = table_counts()
        self.archive = self.dir / "haven.backup"

    def backup(self, **options) -> dict:
        return write_backup(self.archive, passphrase=PASSPHRASE, **options)

    def test_backup_then_restore_gives_back_every_row_decrypted_and_a_verified_chain(self):
        summary = self.backup()
        self.assertEqual(summary["tables"], self.before)
        self.assertNotIn(BODY.encode(), self.archive.read_bytes())
        empty_the_database()
        self.assertEqual(sum(table_counts().values()), 0)
        restore_backup(self.archive, passphrase=PASSPHRASE)
        self.assertEqual(table_counts(), self.before)
        self.assertEqual(Note.objects.get(pk=self.note.pk).body, BODY)
        self.assertEqual(bytes(AttachmentContent.objects.get(pk=self.attachment.pk).data), CONTENT)
        result = verify_chain()
        self.assertTrue(result.ok, result.reason)
        self.assertEqual(read_checkpoints()[-1].kind, "restore")
        # New rows continue after the restored keys.
        self.assertGreater(NoteFactory(case=self.case, author=self.owner).pk, self.note.pk)
        self.assertTrue(verify_chain().ok)

    def test_the_commands(self):
        call_command("backup", "--out", str(self.archive), "--passphrase-file", str(self.passphrase_file()))
        empty_the_database()
        with mock.patch.dict("os.environ", {"HAVEN_BACKUP_PASSPHRASE": PASSPHRASE}):
            call_command("restore", str(self.archive))
        self.assertEqual(table_counts(), self.before)
        with self.assertRaisesMessage(CommandError, "this database is in use"):
            call_command("restore", str(self.archive), "--passphrase-file", str(self.passphrase_file()))

    def passphrase_file(self) -> Path:
        path = self.dir / "passphrase"
        path.write_text(PASSPHRASE + "\n")
        return path

    def test_a_wrong_passphrase_is_refused_and_writes_nothing(self):
        self.backup()
        empty_the_database()
        ContentType.objects.create(app_label="seeded", model="row")
        before = table_counts()
        with self.assertRaisesMessage(RestoreRefused, "wrong passphrase"):
            restore_backup(self.archive, passphrase="Correct horse battery staple")
        self.assertEqual(table_counts(), before)

    def test_a_damaged_archive_is_refused_and_writes_nothing(self):
        with mock.patch("haven.db.archive.CHUNK_SIZE", 4096):  # many chunks: the damage is found late
            self.backup()
        data = bytearray(self.archive.read_bytes())
        data[-2000] ^= 0x01
        self.archive.write_bytes(bytes(data))
        empty_the_database()
        ContentType.objects.create(app_label="seeded", model="row")
        before = table_counts()
        with self.assertRaisesMessage(RestoreRefused, "fails authentication"):
            restore_backup(self.archive, passphrase=PASSPHRASE)
        self.assertEqual(table_counts(), before)
        self.archive.write_bytes(bytes(data[:len(data) // 2]))
        with self.assertRaisesMessage(RestoreRefused, "damaged"):
            restore_backup(self.archive, passphrase=PASSPHRASE)
        self.assertEqual(table_counts(), before)

    def test_missing_encryption_keys_are_named_and_include_keys_brings_them(self):
        self.backup()
        with_keys = self.dir / "with-keys.backup"
        write_backup(with_keys, passphrase=PASSPHRASE, include_keys=True)
        empty_the_database()
        other_installation = self.dir / "other-keys.txt"
        other_installation.write_text(Fernet.generate_key().decode() + "\n")
        with override_settings(HAVEN_ENCRYPTION_KEYS=[], HAVEN_LOCAL_KEY_FILE=other_installation):
            with self.assertRaisesMessage(RestoreRefused, "made without --include-keys"):
                restore_backup(self.archive, passphrase=PASSPHRASE)
            self.assertEqual(sum(table_counts().values()), 0)
            restore_backup(with_keys, passphrase=PASSPHRASE)
            self.assertEqual(Note.objects.get(pk=self.note.pk).body, BODY)
            self.assertEqual(len(other_installation.read_text().split()), 2)  # the archive's key was added
        self.assertEqual(table_counts(), self.before)

    def test_missing_audit_keys_are_named(self):
        self.backup()
        empty_the_database()
        with override_settings(HAVEN_AUDIT_KEYS=[audit_keys.new_secret()]):
            with self.assertRaisesMessage(RestoreRefused, "which is not configured"):
                restore_backup(self.archive, passphrase=PASSPHRASE)
        self.assertEqual(sum(table_counts().values()), 0)
