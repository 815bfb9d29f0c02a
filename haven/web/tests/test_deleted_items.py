"""Nothing is lost: a deleted note or file moves to the case's deleted items, which only the case organization's
administrators see and restore; an edited note keeps its earlier text for them."""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haven.audit.models import Action, AuditEntry
from haven.cases import services
from haven.cases.models import Attachment, Note, NoteVersion
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
