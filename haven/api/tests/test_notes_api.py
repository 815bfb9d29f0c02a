"""/api/v1/notes/: confidential notes stay with the case team; volunteers add open notes only."""
from __future__ import annotations

from haven.api.tests.base import ApiTestCase, url
from haven.audit.models import Action, AuditEntry
from haven.cases.models import Note


class NoteListTests(ApiTestCase):
    def test_case_team_sees_every_note_and_the_list_is_audited(self):
        for user in (self.owner, self.colleague, self.admin, self.counsel):
            with self.subTest(user=user.username):
                self.login_as(user)
                ids = self.ids(self.client.get(url("note-list", case=self.case.pk)))
                self.assertEqual(sorted(ids), sorted([self.note.pk, self.open_note.pk]))
                self.assert_list_audited(user, "cases.note", ids)
                self.assertEqual(self.last_audit(Action.LIST).case_id, self.case.pk)

    def test_volunteer_sees_only_open_notes(self):
        self.login_as(self.volunteer)
        response = self.client.get(url("note-list", case=self.case.pk))
        self.assertEqual(self.ids(response), [self.open_note.pk])
        self.assertNotIn(b"Hyesan", response.content)

    def test_others_get_not_found_for_the_case(self):
        for user in (self.analyst, self.outsider, self.other_volunteer):
            with self.subTest(user=user.username):
                self.assert_hidden(user, url("note-list", case=self.case.pk))
        self.assert_hidden(self.owner, url("note-list", case=999999))

    def test_the_case_is_required(self):
        self.login_as(self.owner)
        response = self.client.get(url("note-list"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("case", response.json())

    def test_ordering(self):
        self.login_as(self.owner)
        self.assertEqual(self.ids(self.client.get(url("note-list", case=self.case.pk, ordering="created_at"))),
                         [self.note.pk, self.open_note.pk])


class NoteDetailTests(ApiTestCase):
    def test_read_and_audit(self):
        self.login_as(self.counsel)
        response = self.client.get(url("note-detail", self.note.pk))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["body"], "Confidential: family in Hyesan at risk.")
        entry = self.last_audit(Action.VIEW)
        self.assertEqual((entry.object_type, entry.object_id, entry.case_id),
                         ("cases.note", str(self.note.pk), self.case.pk))

    def test_volunteer_reads_open_notes_only(self):
        self.login_as(self.volunteer)
        self.assertEqual(self.client.get(url("note-detail", self.open_note.pk)).status_code, 200)
        self.assert_hidden(self.volunteer, url("note-detail", self.note.pk))

    def test_others_get_not_found(self):
        for user in (self.analyst, self.outsider, self.other_volunteer):
            for note in (self.note, self.open_note):
                with self.subTest(user=user.username, note=note.pk):
                    self.assert_hidden(user, url("note-detail", note.pk))


class NoteWriteTests(ApiTestCase):
    def test_staff_notes_are_confidential_unless_said_otherwise(self):
        self.login_as(self.owner)
        response = self.client.post(url("note-list"), {"case": self.case.pk, "body": " Called IRCC. "},
                                    format="json")
        self.assertEqual(response.status_code, 201, response.content)
        note = Note.objects.get(pk=response.json()["id"])
        self.assertEqual((note.body, note.confidential, note.author), ("Called IRCC.", True, self.owner))
        self.assertTrue(AuditEntry.objects.filter(action=Action.CREATE, object_type="cases.note",
                                                  object_id=str(note.pk)).exists())
        response = self.client.post(url("note-list"), {"case": self.case.pk, "body": "Open.", "confidential": False},
                                    format="json")
        self.assertFalse(response.json()["confidential"])

    def test_volunteer_adds_open_notes_only(self):
        self.login_as(self.volunteer)
        response = self.client.post(url("note-list"), {"case": self.case.pk, "body": "Dropped off winter coats."},
                                    format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertFalse(Note.objects.get(pk=response.json()["id"]).confidential)
        count = Note.objects.count()
        response = self.client.post(url("note-list"),
                                    {"case": self.case.pk, "body": "Secret.", "confidential": True}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("confidential", response.json())
        self.assertEqual(Note.objects.count(), count)

    def test_validation_errors_write_nothing(self):
        self.login_as(self.owner)
        count = Note.objects.count()
        for payload, field in (({"case": self.case.pk, "body": "   "}, "body"),
                               ({"case": self.case.pk}, "body"),
                               ({"body": "x"}, "case"),
                               ({"case": "first", "body": "x"}, "case")):
            with self.subTest(payload=payload):
                response = self.client.post(url("note-list"), payload, format="json")
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json())
        self.assertEqual(Note.objects.count(), count)

    def test_others_get_not_found_for_the_case(self):
        count = Note.objects.count()
        for user in (self.analyst, self.outsider, self.other_volunteer):
            with self.subTest(user=user.username):
                self.assert_hidden(user, url("note-list"), "post", {"case": self.case.pk, "body": "x"})
        self.assert_hidden(self.owner, url("note-list"), "post", {"case": 999999, "body": "x"})
        self.assertEqual(Note.objects.count(), count)

    def test_edit(self):
        self.login_as(self.colleague)
        response = self.client.patch(url("note-detail", self.open_note.pk), {"body": "Airport pickup on Saturday."},
                                     format="json")
        self.assertEqual(response.status_code, 200)
        self.open_note.refresh_from_db()
        self.assertEqual((self.open_note.body, self.open_note.confidential), ("Airport pickup on Saturday.", False))
        entry = self.last_audit(Action.UPDATE)
        self.assertEqual(entry.changes, {"body": {"old": "[redacted]", "new": "[redacted]"}})
        response = self.client.patch(url("note-detail", self.open_note.pk), {"body": ""}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("body", response.json())

    def test_volunteer_cannot_edit_or_delete(self):
        self.login_as(self.volunteer)
        self.assertEqual(self.client.patch(url("note-detail", self.open_note.pk), {"body": "x"},
                                           format="json").status_code, 403)
        self.assertEqual(self.client.delete(url("note-detail", self.open_note.pk)).status_code, 403)
        self.assert_hidden(self.volunteer, url("note-detail", self.note.pk), "patch", {"body": "x"})
        self.assert_hidden(self.volunteer, url("note-detail", self.note.pk), "delete")
        self.open_note.refresh_from_db()
        self.assertEqual(self.open_note.body, "Airport pickup on Friday.")

    def test_others_get_not_found_on_writes(self):
        for user in (self.analyst, self.outsider, self.other_volunteer):
            with self.subTest(user=user.username):
                self.assert_hidden(user, url("note-detail", self.open_note.pk), "patch", {"body": "x"})
                self.assert_hidden(user, url("note-detail", self.open_note.pk), "delete")
        self.assertTrue(Note.objects.filter(pk=self.open_note.pk).exists())

    def test_delete(self):
        self.login_as(self.owner)
        response = self.client.delete(url("note-detail", self.note.pk))
        self.assertEqual(response.status_code, 204)
        self.assertFalse(Note.objects.filter(pk=self.note.pk).exists())
        entry = self.last_audit(Action.DELETE)
        self.assertEqual((entry.object_type, entry.object_id), ("cases.note", str(self.note.pk)))
        self.assert_hidden(self.owner, url("note-detail", self.note.pk))

    def test_an_administrator_restores_a_deleted_note(self):
        self.login_as(self.owner)
        self.client.delete(url("note-detail", self.note.pk))
        for user in (self.owner, self.counsel, self.volunteer, self.outsider):
            with self.subTest(user=user.username):
                self.assert_hidden(user, url("note-restore", self.note.pk), "post")
        self.login_as(self.admin)
        response = self.client.post(url("note-restore", self.note.pk))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["id"], self.note.pk)
        self.assertEqual(self.last_audit(Action.UPDATE).summary, "restored from the deleted items")
        self.login_as(self.owner)
        self.assertEqual(self.client.get(url("note-detail", self.note.pk)).status_code, 200)
