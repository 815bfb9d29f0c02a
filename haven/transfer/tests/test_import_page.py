"""Importing people in the browser: the same all-or-nothing importer as `haven import people`, for staff."""
from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from haven.audit.models import Action, AuditEntry
from haven.people.models import Household, Person
from haven.transfer.services import PEOPLE_COLUMNS
from haven.transfer.tests.test_import_people import ImportTestCase, csv_bytes, example_rows

URL = reverse("people_import")


class ImportPageTests(ImportTestCase):
    def upload(self, data: bytes, *, name="people.csv", check_only=False, organization=None):
        payload = {"organization": (organization or self.org).pk, "file": SimpleUploadedFile(name, data)}
        if check_only:
            payload["check_only"] = "on"
        return self.client.post(URL, payload)

    def test_staff_import_a_file_and_the_import_is_audited(self):
        self.login_as(self.owner)
        response = self.upload(csv_bytes(example_rows()))
        self.assertContains(response, "Imported 4 people in 2 households, with 2 cases.")
        self.assertEqual(Household.objects.filter(reference__in=["H-0001", "H-0002"]).count(), 2)
        self.assertTrue(AuditEntry.objects.filter(action=Action.IMPORT, actor=self.owner).exists())

    def test_checking_only_writes_nothing(self):
        self.login_as(self.owner)
        before = self.counts()
        response = self.upload(csv_bytes(example_rows()), check_only=True)
        self.assertContains(response, "The file is valid: 4 people in 2 households would be imported.")
        self.assert_nothing_written(before)

    def test_a_bad_row_writes_nothing_and_every_error_is_listed_by_row_and_column(self):
        rows = example_rows()
        rows[1]["birth_date"] = "1983-02-31"
        rows[2]["relationship"] = "cousin-in-law"
        self.login_as(self.owner)
        before = self.counts()
        response = self.upload(csv_bytes(rows), name="people.csv")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "2 errors: nothing was imported", status_code=400)
        errors = response.content.decode().split('id="import-errors"')[1]
        self.assertIn('<td class="num">3</td><td>birth_date</td>', errors)
        self.assertIn('<td class="num">4</td><td>relationship</td>', errors)
        self.assert_nothing_written(before)

    def test_row_errors_are_in_the_readers_language(self):
        rows = example_rows()
        rows[1]["birth_date"] = "1983-02-31"
        self.login_as(self.owner)
        response = self.client.post(URL, {"organization": self.org.pk,
                                          "file": SimpleUploadedFile("people.csv", csv_bytes(rows))},
                                    HTTP_ACCEPT_LANGUAGE="ko")
        self.assertContains(response, "“1983-02-31”은(는) 존재하지 않는 날짜입니다", status_code=400)

    def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly(self):
        self.login_as(self.owner)
        response = self.upload("household_key,family_name\nH1,Müller\n".encode("latin-1"))
        self.assertContains(response, "neither XLSX nor UTF-8 CSV", status_code=400)

    def test_only_the_users_own_organizations_are_offered(self):
        self.login_as(self.owner)
        response = self.client.get(URL)
        self.assertContains(response, "Maple Sponsorship Society")
        self.assertNotContains(response, "Harbour Legal Clinic")
        before = self.counts()
        self.assertEqual(self.upload(csv_bytes(example_rows()), organization=self.clinic).status_code, 400)
        self.assert_nothing_written(before)

    def test_volunteers_and_analysts_get_404(self):
        for user in (self.volunteer, self.analyst):
            with self.subTest(user=user.username):
                self.login_as(user)
                self.assertEqual(self.client.get(URL).status_code, 404)
                self.assertEqual(self.client.get(reverse("people_import_template")).status_code, 404)

    def test_the_blank_template_has_every_column_the_importer_reads(self):
        self.login_as(self.owner)
        response = self.client.get(reverse("people_import_template"))
        self.assertEqual(response.content.decode("utf-8-sig").splitlines(), [",".join(PEOPLE_COLUMNS)])
        self.assertEqual(self.upload(response.content).status_code, 400)  # read back: a header and no one
