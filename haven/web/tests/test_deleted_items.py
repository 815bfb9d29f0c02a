"""Nothing is lost: a deleted note or file moves to the case's deleted items, which only the case organization's
administrators see and restore; an edited note keeps its earlier text for them; a removed vulnerability or
identity document waits in the person's deleted items the same way."""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haven.audit.models import Action, AuditEntry
from haven.cases import services
from haven.cases.models import Attachment, Note, NoteVersion
from haven.people.models import IdentityDocument, Vulnerability
from haven.testing.factories import NoteFactory
from haven.testing.personas import PersonaTestCase


class DeletedItemsTests(PersonaTestCase):
    def case_page(self, user) -> str:
        self.login_as(user)
        response = self.client.get(reverse("case_detail", args=[self.case.pk]))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_deleted_note_is_gone_for_staff_and_waits_for_an_administrator(self):
        self.login_as(self.owner)
        self.client.post(reverse("note_delete", args=[self.note.pk]))
        self.assertFalse(Note.objects.filter(pk=self.note.pk).exists())
        kept = Note.all_objects.get(pk=self.note.pk)
        self.assertEqual((kept.deleted_by, kept.body), (self.owner, self.note.body))
        self.assertNotIn("Hyesan", self.case_page(self.owner))
        self.assertNotIn('id="deleted"', self.case_page(self.owner))
        self.assertEqual(self.client.get(reverse("note_edit", args=[self.note.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("note-detail", args=[self.note.pk])).status_code, 404)

        admin_page = self.case_page(self.admin)
        deleted = admin_page.split('id="deleted"')[1]
        self.assertIn("Hyesan", deleted)
        self.assertIn(f'action="{reverse("note_restore", args=[self.note.pk])}"', deleted)
        self.assertTrue(AuditEntry.objects.filter(actor=self.admin, action=Action.VIEW, object_type="cases.note",
                                                  object_id=str(self.note.pk)).exists())

        self.login_as(self.colleague)  # staff, not administrator
        self.assertEqual(self.client.post(reverse("note_restore", args=[self.note.pk])).status_code, 404)
        self.login_as(self.admin)
        self.assertRedirects(self.client.post(reverse("note_restore", args=[self.note.pk])),
                             reverse("case_detail", args=[self.case.pk]) + "#notes")
        self.assertIn("Hyesan", self.case_page(self.owner))
        self.assertTrue(AuditEntry.objects.filter(actor=self.admin, action=Action.UPDATE, object_type="cases.note",
                                                  summary="restored from the deleted items").exists())

    def test_a_deleted_file_no_longer_downloads_until_it_is_restored(self):
        download = reverse("attachment_download", args=[self.attachment.pk])
        self.login_as(self.owner)
        before = self.client.get(download).content
        self.client.post(reverse("attachment_delete", args=[self.attachment.pk]))
        self.assertEqual(self.client.get(download).status_code, 404)
        self.assertNotIn("boc.pdf", self.case_page(self.owner))
        self.assertIn("boc.pdf", self.case_page(self.admin).split('id="deleted"')[1])
        self.client.post(reverse("attachment_restore", args=[self.attachment.pk]))
        self.login_as(self.owner)
        self.assertEqual(self.client.get(download).content, before)
        self.assertIsNone(Attachment.objects.get(pk=self.attachment.pk).deleted_at)

    def test_an_edit_keeps_the_earlier_text_for_administrators_only(self):
        self.login_as(self.owner)
        self.client.post(reverse("note_edit", args=[self.note.pk]),
                         {"body": "Family moved; location withheld.", "confidential": "on"})
        version = NoteVersion.objects.get(note=self.note)
        self.assertEqual((version.body, version.replaced_by), ("Confidential: family in Hyesan at risk.", self.owner))
        self.assertNotIn("Hyesan", self.case_page(self.owner))
        admin_page = self.case_page(self.admin)
        self.assertIn("Edited: 1 earlier version", admin_page)
        self.assertIn("Hyesan", admin_page)

    def test_the_administrators_case_page_does_not_grow_with_edits_and_deletions(self):
        def queries() -> int:
            self.case_page(self.admin)
            with CaptureQueriesContext(connection) as captured:
                self.case_page(self.admin)
            return len([q for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))])

        services.update_note(actor=self.owner, note=self.note, body="Edited once.", confidential=True)
        services.delete_note(actor=self.owner, note=NoteFactory(case=self.case, author=self.owner))
        few = queries()
        for n in range(4):
            note = NoteFactory(case=self.case, author=self.owner)
            services.update_note(actor=self.owner, note=note, body=f"Edited {n}.", confidential=True)
            services.delete_note(actor=self.owner, note=NoteFactory(case=self.case, author=self.owner))
        self.assertEqual(queries(), few)


class RemovedPersonItemsTests(PersonaTestCase):
    """Vulnerabilities and identity documents: their encrypted values are redacted in the audit log, so a removal
    keeps them for the organization's administrators too."""

    def person_page(self, user, **headers) -> str:
        self.login_as(user)
        response = self.client.get(reverse("person_detail", args=[self.person.pk]), **headers)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_removed_vulnerability_waits_for_an_administrator_to_restore_it(self):
        self.login_as(self.owner)
        self.client.post(reverse("vulnerability_remove", args=[self.person.pk, self.vulnerability.pk]))
        self.assertFalse(Vulnerability.objects.filter(pk=self.vulnerability.pk).exists())
        self.assertEqual(Vulnerability.all_objects.get(pk=self.vulnerability.pk).details,
                         "Disclosed at intake; do not share.")
        self.assertNotIn("Disclosed at intake", self.person_page(self.owner))
        self.assertNotIn('id="person-removed"', self.person_page(self.owner))
        api = self.client.get(reverse("person-detail", args=[self.person.pk])).content.decode()
        self.assertNotIn("Disclosed at intake", api)

        restore = reverse("vulnerability_restore", args=[self.person.pk, self.vulnerability.pk])
        self.assertIn(f'action="{restore}"', self.person_page(self.admin).split('id="person-removed"')[1])
        for user in (self.colleague, self.counsel):
            self.login_as(user)
            self.assertEqual(self.client.post(restore).status_code, 404)
        self.login_as(self.admin)
        self.client.post(restore)
        self.assertIn("Disclosed at intake", self.person_page(self.owner))
        self.assertTrue(AuditEntry.objects.filter(actor=self.admin, object_type="people.vulnerability",
                                                  summary="restored from the deleted items").exists())

    def test_a_removed_document_keeps_its_number(self):
        document = IdentityDocument.objects.create(person=self.person, kind="passport", number="M98765432")
        self.login_as(self.owner)
        self.client.post(reverse("document_remove", args=[self.person.pk, document.pk]))
        self.assertNotIn("M98765432", self.person_page(self.owner))
        self.assertIn("M98765432", self.person_page(self.admin).split('id="person-removed"')[1])
        self.client.post(reverse("document_restore", args=[self.person.pk, document.pk]))
        self.assertIn("M98765432", self.person_page(self.owner))
