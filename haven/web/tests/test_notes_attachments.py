"""Notes and attachments: who may add, edit, delete and download; validation; audit; download headers."""
from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from haven.audit.models import Action, AuditEntry
from haven.cases.models import Attachment, Note
from haven.testing.personas import PersonaTestCase
from haven.web.tests.helpers import WebAssertions


class NoteCreateTests(WebAssertions, PersonaTestCase):
    def url(self):
        return reverse("note_create", args=[self.case.pk])

    def test_anonymous_is_sent_to_login(self):
        self.assert_login_redirect(self.url(), "post")

    def test_owner_adds_a_confidential_note_and_it_is_audited(self):
        self.login_as(self.owner)
        response = self.client.post(self.url(), {"body": "Lawyer call on Monday.", "confidential": "on"})
        self.assertRedirects(response, reverse("case_detail", args=[self.case.pk]) + "#notes")
        note = Note.objects.latest("pk")
        self.assertEqual((note.body, note.confidential, note.author), ("Lawyer call on Monday.", True, self.owner))
        entry = AuditEntry.objects.get(action=Action.CREATE, object_type="cases.note", object_id=str(note.pk))
        self.assertEqual(entry.case_id, self.case.pk)
        self.assertEqual(entry.changes["body"]["new"], "[redacted]")

    def test_volunteer_may_add_only_non_confidential_notes(self):
        self.login_as(self.volunteer)
        page = self.client.get(self.url())
        self.assertNotContains(page, 'name="confidential"')
        self.client.post(self.url(), {"body": "Brought winter coats.", "confidential": "on"})
        note = Note.objects.latest("pk")
        self.assertEqual((note.body, note.confidential), ("Brought winter coats.", False))

    def test_strangers_get_404(self):
        for user in (self.outsider, self.other_volunteer, self.analyst):
            with self.subTest(user=user.username):
                self.assert_not_found_for(user, self.url(), "post", {"body": "x"})
        self.assertEqual(Note.objects.filter(case=self.case).count(), 2)

    def test_empty_note_is_refused_with_a_message(self):
        self.login_as(self.colleague)
        response = self.client.post(self.url(), {"body": "   "})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="errorlist')
        self.assertEqual(Note.objects.filter(case=self.case).count(), 2)


class NoteEditDeleteTests(WebAssertions, PersonaTestCase):
    def test_anonymous_is_sent_to_login(self):
        self.assert_login_redirect(reverse("note_edit", args=[self.note.pk]))
        self.assert_login_redirect(reverse("note_delete", args=[self.note.pk]), "post")

    def test_colleague_edits_and_it_is_audited(self):
        self.login_as(self.colleague)
        url = reverse("note_edit", args=[self.open_note.pk])
        self.assertContains(self.client.get(url), "Airport pickup on Friday.")
        self.assertEqual(self.view_rows(self.colleague, self.open_note), 1)
        response = self.client.post(url, {"body": "Airport pickup moved to Saturday.", "confidential": ""})
        self.assertRedirects(response, reverse("case_detail", args=[self.case.pk]) + "#notes")
        self.open_note.refresh_from_db()
        self.assertEqual((self.open_note.body, self.open_note.confidential),
                         ("Airport pickup moved to Saturday.", False))
        entry = AuditEntry.objects.filter(action=Action.UPDATE, object_type="cases.note").latest("seq")
        self.assertEqual((entry.actor, entry.object_id), (self.colleague, str(self.open_note.pk)))

    def test_empty_edit_saves_nothing(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("note_edit", args=[self.note.pk]), {"body": "", "confidential": "on"})
        self.assertContains(response, "This field is required.")
        self.note.refresh_from_db()
        self.assertIn("Hyesan", self.note.body)

    def test_owner_deletes_after_confirmation(self):
        self.login_as(self.owner)
        url = reverse("note_delete", args=[self.open_note.pk])
        self.assertContains(self.client.get(url), "Airport pickup")
        response = self.client.post(url)
        self.assertRedirects(response, reverse("case_detail", args=[self.case.pk]) + "#notes")
        self.assertFalse(Note.objects.filter(pk=self.open_note.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(action=Action.DELETE, object_type="cases.note",
                                                  object_id=str(self.open_note.pk), actor=self.owner).exists())

    def test_volunteer_cannot_edit_or_delete_and_never_sees_confidential_text(self):
        self.login_as(self.volunteer)
        for name in ("note_edit", "note_delete"):
            for note in (self.note, self.open_note):
                with self.subTest(view=name, note=note.pk):
                    response = self.client.get(reverse(name, args=[note.pk]))
                    self.assertEqual(response.status_code, 404)
                    self.assertNotContains(response, "Hyesan", status_code=404)
                    self.assertEqual(self.client.post(reverse(name, args=[note.pk]), {"body": "x"}).status_code, 404)
        self.assertEqual(Note.objects.filter(case=self.case).count(), 2)

    def test_strangers_get_404(self):
        for user in (self.outsider, self.other_volunteer, self.analyst):
            for name in ("note_edit", "note_delete"):
                with self.subTest(user=user.username, view=name):
                    self.assert_not_found_for(user, reverse(name, args=[self.note.pk]))
                    self.assert_not_found_for(user, reverse(name, args=[self.note.pk]), "post", {"body": "x"})
        self.assert_not_found_for(self.owner, reverse("note_edit", args=[999999]))
        self.assertTrue(Note.objects.filter(pk=self.note.pk).exists())


class AttachmentTests(WebAssertions, PersonaTestCase):
    def upload(self, **extra):
        data = {"file": SimpleUploadedFile("narrative.pdf", b"%PDF-1.7 narrative", content_type="application/pdf"),
                "kind": Attachment.Kind.EVIDENCE, "description": "BOC narrative", "confidential": "on"}
        data.update(extra)
        return self.client.post(reverse("attachment_upload", args=[self.case.pk]), data)

    def test_anonymous_is_sent_to_login(self):
        self.assert_login_redirect(reverse("attachment_download", args=[self.attachment.pk]))
        self.assert_login_redirect(reverse("attachment_upload", args=[self.case.pk]), "post")
        self.assert_login_redirect(reverse("attachment_delete", args=[self.attachment.pk]), "post")

    def test_owner_uploads_downloads_and_deletes(self):
        self.login_as(self.owner)
        response = self.upload()
        self.assertRedirects(response, reverse("case_detail", args=[self.case.pk]) + "#attachments")
        attachment = Attachment.objects.latest("pk")
        self.assertEqual((attachment.filename, attachment.size, attachment.confidential),
                         ("narrative.pdf", 18, True))
        self.assertTrue(AuditEntry.objects.filter(action=Action.CREATE, object_type="cases.attachment",
                                                  object_id=str(attachment.pk)).exists())

        download = self.client.get(reverse("attachment_download", args=[attachment.pk]))
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, b"%PDF-1.7 narrative")
        self.assertEqual(download["Content-Disposition"], 'attachment; filename="narrative.pdf"')
        self.assertEqual(download["X-Content-Type-Options"], "nosniff")
        self.assertEqual(download["Content-Type"], "application/pdf")
        self.assertTrue(AuditEntry.objects.filter(action=Action.DOWNLOAD, object_id=str(attachment.pk),
                                                  actor=self.owner, case_id=self.case.pk).exists())

        self.assertContains(self.client.get(reverse("attachment_delete", args=[attachment.pk])), "narrative.pdf")
        self.client.post(reverse("attachment_delete", args=[attachment.pk]))
        self.assertFalse(Attachment.objects.filter(pk=attachment.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(action=Action.DELETE, object_id=str(attachment.pk)).exists())

    def test_non_ascii_filename_is_encoded_in_the_header(self):
        self.login_as(self.colleague)
        self.upload(file=SimpleUploadedFile("진술서 ok.txt", b"text", content_type="text/html"))
        attachment = Attachment.objects.latest("pk")
        download = self.client.get(reverse("attachment_download", args=[attachment.pk]))
        self.assertIn("filename*=utf-8''", download["Content-Disposition"])
        self.assertTrue(download["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(download["X-Content-Type-Options"], "nosniff")

    def test_empty_and_missing_files_are_refused(self):
        self.login_as(self.owner)
        before = Attachment.objects.count()
        response = self.upload(file=SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"))
        self.assertContains(response, 'class="errorlist')
        response = self.client.post(reverse("attachment_upload", args=[self.case.pk]), {"kind": "evidence"})
        self.assertContains(response, "This field is required.")
        self.assertEqual(Attachment.objects.count(), before)

    @override_settings(HAVEN_MAX_UPLOAD_BYTES=10)
    def test_oversized_files_are_refused(self):
        self.login_as(self.owner)
        before = Attachment.objects.count()
        response = self.upload()
        self.assertContains(response, "larger than")
        self.assertEqual(Attachment.objects.count(), before)

    def test_volunteer_downloads_only_non_confidential_files_and_cannot_upload(self):
        self.login_as(self.owner)
        self.upload(file=SimpleUploadedFile("itinerary.pdf", b"%PDF-1.4 flight", content_type="application/pdf"),
                    confidential="")
        shared = Attachment.objects.latest("pk")
        self.login_as(self.volunteer)
        self.assertEqual(self.client.get(reverse("attachment_download", args=[shared.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("attachment_download", args=[self.attachment.pk])).status_code, 404)
        self.assertEqual(self.upload().status_code, 404)
        self.assertEqual(self.client.post(reverse("attachment_delete", args=[shared.pk])).status_code, 404)
        self.assertTrue(Attachment.objects.filter(pk=shared.pk).exists())
        page = self.client.get(reverse("case_detail", args=[self.case.pk]))
        self.assertContains(page, "itinerary.pdf")
        self.assertNotContains(page, "boc.pdf")

    def test_strangers_get_404(self):
        for user in (self.outsider, self.other_volunteer, self.analyst):
            with self.subTest(user=user.username):
                self.assert_not_found_for(user, reverse("attachment_download", args=[self.attachment.pk]))
                self.assert_not_found_for(user, reverse("attachment_delete", args=[self.attachment.pk]), "post")
                self.login_as(user)
                self.assertEqual(self.upload().status_code, 404)
        self.assertFalse(AuditEntry.objects.filter(action=Action.DOWNLOAD).exists())
        self.assertTrue(Attachment.objects.filter(pk=self.attachment.pk).exists())
