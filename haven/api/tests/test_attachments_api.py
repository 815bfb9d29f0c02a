"""/api/v1/attachments/: metadata, multipart upload, audited download, delete."""
from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from haven.api.tests.base import ApiTestCase, url
from haven.audit.models import Action, AuditEntry
from haven.cases.models import Attachment, AttachmentContent
from haven.testing.factories import AttachmentFactory


class AttachmentReadTests(ApiTestCase):
    def setUp(self):
        self.open_attachment = AttachmentFactory(case=self.case, uploaded_by=self.owner, filename="welcome.txt",
                                                 content_type="text/plain", confidential=False,
                                                 content=b"Welcome to Halifax")

    def test_case_team_lists_metadata_and_the_list_is_audited(self):
        self.login_as(self.owner)
        response = self.client.get(url("attachment-list", case=self.case.pk))
        ids = self.ids(response)
        self.assertEqual(sorted(ids), sorted([self.attachment.pk, self.open_attachment.pk]))
        self.assertNotIn(b"PDF-1.4", response.content)
        self.assertEqual({row["filename"] for row in response.json()["results"]}, {"boc.pdf", "welcome.txt"})
        self.assert_list_audited(self.owner, "cases.attachment", ids)

    def test_volunteer_sees_only_open_attachments(self):
        self.login_as(self.volunteer)
        self.assertEqual(self.ids(self.client.get(url("attachment-list", case=self.case.pk))),
                         [self.open_attachment.pk])
        self.assertEqual(self.client.get(url("attachment-detail", self.open_attachment.pk)).status_code, 200)
        self.assert_hidden(self.volunteer, url("attachment-detail", self.attachment.pk))
        self.assert_hidden(self.volunteer, url("attachment-download", self.attachment.pk))

    def test_others_get_not_found(self):
        for user in (self.analyst, self.outsider, self.other_volunteer):
            with self.subTest(user=user.username):
                self.assert_hidden(user, url("attachment-list", case=self.case.pk))
                for attachment in (self.attachment, self.open_attachment):
                    self.assert_hidden(user, url("attachment-detail", attachment.pk))
                    self.assert_hidden(user, url("attachment-download", attachment.pk))
                response = self.client.get(url("attachment-download", self.attachment.pk),
                                           HTTP_ACCEPT="application/pdf")
                self.assertEqual((response.status_code, response["Content-Type"]), (404, "application/json"))
                self.assertEqual(response.json(), {"detail": "No such record."})
        self.assertFalse(AuditEntry.objects.filter(action=Action.DOWNLOAD).exists())

    def test_the_case_is_required(self):
        self.login_as(self.owner)
        self.assertEqual(self.client.get(url("attachment-list")).status_code, 400)

    def test_detail_is_audited(self):
        self.login_as(self.counsel)
        response = self.client.get(url("attachment-detail", self.attachment.pk))
        self.assertEqual(response.json()["filename"], "boc.pdf")
        entry = self.last_audit(Action.VIEW)
        self.assertEqual((entry.object_type, entry.object_id, entry.case_id),
                         ("cases.attachment", str(self.attachment.pk), self.case.pk))

    def test_download_returns_the_bytes_and_is_audited(self):
        self.login_as(self.owner)
        response = self.client.get(url("attachment-download", self.attachment.pk))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 ok")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="boc.pdf"')
        entry = self.last_audit(Action.DOWNLOAD)
        self.assertEqual((entry.actor_id, entry.object_id), (self.owner.pk, str(self.attachment.pk)))
        # Format overrides (?format=, .json) do not change what a download returns.
        self.assertEqual(self.client.get(url("attachment-download", self.attachment.pk) + "?format=json").content,
                         b"%PDF-1.4 ok")
        self.assertEqual(self.client.get(url("attachment-download", self.attachment.pk, "json")).content,
                         b"%PDF-1.4 ok")
        # A client may ask for the file's own type.
        response = self.client.get(url("attachment-download", self.attachment.pk), HTTP_ACCEPT="application/pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 ok")

    def test_volunteer_downloads_open_attachments(self):
        self.login_as(self.volunteer)
        response = self.client.get(url("attachment-download", self.open_attachment.pk))
        self.assertEqual(response.content, b"Welcome to Halifax")


class AttachmentWriteTests(ApiTestCase):
    def upload(self, **extra):
        payload = {"case": self.case.pk, "file": SimpleUploadedFile("letter.pdf", b"%PDF-1.7 letter",
                                                                    content_type="application/pdf"),
                   "kind": "correspondence", "description": "IRCC letter", **extra}
        return self.client.post(url("attachment-list"), payload, format="multipart")

    def test_staff_upload(self):
        self.login_as(self.owner)
        response = self.upload()
        self.assertEqual(response.status_code, 201, response.content)
        attachment = Attachment.objects.get(pk=response.json()["id"])
        self.assertEqual((attachment.filename, attachment.kind, attachment.size, attachment.confidential),
                         ("letter.pdf", "correspondence", 15, True))
        self.assertEqual(attachment.sha256, hashlib.sha256(b"%PDF-1.7 letter").hexdigest())
        self.assertEqual(bytes(AttachmentContent.objects.get(attachment=attachment).data), b"%PDF-1.7 letter")
        self.assertTrue(AuditEntry.objects.filter(action=Action.CREATE, object_type="cases.attachment",
                                                  object_id=str(attachment.pk)).exists())
        response = self.upload(confidential="false")
        self.assertFalse(response.json()["confidential"])

    def test_validation_errors_write_nothing(self):
        self.login_as(self.owner)
        count = Attachment.objects.count()
        response = self.upload(file=SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("file", response.json())
        response = self.upload(kind="selfie")
        self.assertEqual(response.status_code, 400)
        self.assertIn("kind", response.json())
        response = self.client.post(url("attachment-list"), {"case": self.case.pk}, format="multipart")
        self.assertEqual(response.status_code, 400)
        self.assertIn("file", response.json())
        response = self.client.post(url("attachment-list"), {"case": self.case.pk, "file": "x"}, format="json")
        self.assertEqual(response.status_code, 415)
        with override_settings(HAVEN_MAX_UPLOAD_BYTES=10):
            response = self.upload()
        self.assertEqual(response.status_code, 400)
        self.assertIn("file", response.json())
        self.assertEqual(Attachment.objects.count(), count)

    def test_volunteer_and_others_cannot_upload(self):
        count = Attachment.objects.count()
        self.login_as(self.volunteer)
        self.assertEqual(self.upload().status_code, 403)
        for user in (self.analyst, self.outsider, self.other_volunteer):
            with self.subTest(user=user.username):
                self.login_as(user)
                response = self.upload()
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json(), {"detail": "No such record."})
        self.login_as(self.owner)
        self.assertEqual(self.upload(case=999999).status_code, 404)
        self.assertEqual(Attachment.objects.count(), count)

    def test_delete(self):
        open_attachment = AttachmentFactory(case=self.case, uploaded_by=self.owner, confidential=False)
        self.login_as(self.volunteer)
        self.assertEqual(self.client.delete(url("attachment-detail", open_attachment.pk)).status_code, 403)
        self.assert_hidden(self.volunteer, url("attachment-detail", self.attachment.pk), "delete")
        for user in (self.analyst, self.outsider, self.other_volunteer):
            with self.subTest(user=user.username):
                self.assert_hidden(user, url("attachment-detail", open_attachment.pk), "delete")
        self.assertEqual(Attachment.objects.filter(case=self.case).count(), 2)
        self.login_as(self.counsel)
        self.assertEqual(self.client.delete(url("attachment-detail", self.attachment.pk)).status_code, 204)
        self.assertFalse(Attachment.objects.filter(pk=self.attachment.pk).exists())
        # Moved to the case's deleted items: the encrypted content stays for an administrator to restore.
        self.assertEqual(Attachment.all_objects.get(pk=self.attachment.pk).deleted_by, self.counsel)
        self.assertTrue(AttachmentContent.objects.filter(pk=self.attachment.pk).exists())
        self.assertEqual(self.client.get(url("attachment-detail", self.attachment.pk)).status_code, 404)
        self.assert_hidden(self.counsel, url("attachment-restore", self.attachment.pk), "post")
        self.login_as(self.admin)
        self.assertEqual(self.client.post(url("attachment-restore", self.attachment.pk)).status_code, 200)
        self.login_as(self.counsel)
        self.assertEqual(self.client.get(url("attachment-detail", self.attachment.pk)).status_code, 200)
        entry = self.last_audit(Action.DELETE)
        self.assertEqual((entry.actor_id, entry.object_id), (self.counsel.pk, str(self.attachment.pk)))

    def test_attachments_are_not_changed_in_place(self):
        self.login_as(self.owner)
        self.assertEqual(self.client.patch(url("attachment-detail", self.attachment.pk), {"kind": "form"},
                                           format="multipart").status_code, 405)
