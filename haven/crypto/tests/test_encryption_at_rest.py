"""Encrypted values never reach the database in clear, and rotation loses nothing."""
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings

from haven.cases.models import AttachmentContent, Note, NoteVersion
from haven.cases.services import update_note
from haven.crypto import keyring
from haven.people.models import IdentityDocument, Person, Vulnerability
from haven.testing.factories import AttachmentFactory, NoteFactory, PersonFactory

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()
SECRET_NOTE = "Brother still in Chongjin; mother detained 2019."
SECRET_PHONE = "+66 81 234 5678"
SECRET_DOC = "KP-836271945"
SECRET_FILE = b"%PDF-1.4 narrative of escape via Yanji"
SECRET_EARLIER = "Earlier draft: uncle hid us in Hoeryong."  # a note's text before an edit (NoteVersion)


def raw_dump() -> str:
    """Every text and binary cell of every table, as the database holds it."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for cell in row:
                    if isinstance(cell, (bytes, memoryview)):
                        chunks.append(bytes(cell).decode("latin-1"))
                    elif cell is not None:
                        chunks.append(str(cell))
    return "\n".join(chunks)


@override_settings(HAVEN_ENCRYPTION_KEYS=[KEY_A])
class EncryptionAtRestTests(TestCase):
    def setUp(self):
        self.person = PersonFactory(phone=SECRET_PHONE, email="ri@example.org", address="12 Rue Secrète")
        Vulnerability.objects.create(person=self.person, kind="sgbv_survivor", details="Disclosed to nurse only")
        IdentityDocument.objects.create(person=self.person, kind="passport", number=SECRET_DOC)
        self.note = NoteFactory(body=SECRET_NOTE)
        self.attachment = AttachmentFactory(content=SECRET_FILE, filename="escape-route.pdf")
        edited = NoteFactory(body=SECRET_EARLIER)
        update_note(actor=edited.author, note=edited, body="Rewritten.", confidential=True)
        self.version = NoteVersion.objects.get(note=edited)

    def test_raw_database_holds_no_plaintext(self):
        dump = raw_dump()
        for secret in (SECRET_NOTE, SECRET_PHONE, SECRET_DOC, "Disclosed to nurse only", "12 Rue Secrète",
                       "ri@example.org", "escape-route.pdf", SECRET_FILE.decode(), SECRET_EARLIER):
            self.assertNotIn(secret, dump)
        self.assertIn("enc1:", dump)

    def test_values_read_back_in_clear(self):
        self.assertEqual(Person.objects.get(pk=self.person.pk).phone, SECRET_PHONE)
        self.assertEqual(Note.objects.get(pk=self.note.pk).body, SECRET_NOTE)
        self.assertEqual(bytes(AttachmentContent.objects.get(pk=self.attachment.pk).data), SECRET_FILE)

    def test_rotation_re_encrypts_without_loss(self):
        before = raw_dump()
        with override_settings(HAVEN_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
            call_command("keys", "rotate", stdout=open("/dev/null", "w"))
        # Only the new key remains: everything must still decrypt.
        with override_settings(HAVEN_ENCRYPTION_KEYS=[KEY_B]):
            self.assertEqual(Person.objects.get(pk=self.person.pk).phone, SECRET_PHONE)
            self.assertEqual(Note.objects.get(pk=self.note.pk).body, SECRET_NOTE)
            self.assertEqual(IdentityDocument.objects.get().number, SECRET_DOC)
            self.assertEqual(bytes(AttachmentContent.objects.get(pk=self.attachment.pk).data), SECRET_FILE)
            self.assertEqual(NoteVersion.objects.get(pk=self.version.pk).body, SECRET_EARLIER)
        self.assertNotEqual(before, raw_dump())

    def test_old_key_alone_no_longer_decrypts_after_rotation(self):
        with override_settings(HAVEN_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
            call_command("keys", "rotate", stdout=open("/dev/null", "w"))
        with self.assertRaises(keyring.KeyringError):
            Note.objects.get(pk=self.note.pk)
