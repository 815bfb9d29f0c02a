"""Pages show what their headings say, uploads are kept by type, refused text is not sent back whole, and the API
documentation loads nothing from outside servers."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from haven.cases.filetypes import detect
from haven.cases.models import Attachment, Note
from haven.claims import testing as claim_testing
from haven.claims.selectors import claim_deadlines
from haven.testing.factories import PersonFactory
from haven.testing.personas import PersonaTestCase


class HeadingsTests(PersonaTestCase):
    def test_the_household_column_shows_the_household_not_the_case_title(self):
        self.login_as(self.owner)
        for url in (reverse("case_list"), reverse("person_detail", args=[self.person.pk]),
                    reverse("household_detail", args=[self.household.pk])):
            with self.subTest(url=url):
                page = self.client.get(url).content.decode()
                assert "<td>Ri family</td>" in page
                assert "Ri family sponsorship" not in page.split("<tbody>", 1)[-1]

    def test_a_place_shows_only_what_is_known(self):
        self.person.birth_place, self.person.birth_country = "", "CN"
        self.person.save(update_fields=["birth_place", "birth_country"])
        self.login_as(self.owner)
        page = self.client.get(reverse("person_detail", args=[self.person.pk])).content.decode()
        assert "<dd>China</dd>" in page and "—, China" not in page

    def test_the_birth_date_reads_as_precise_as_it_is_known(self):
        self.login_as(self.owner)
        page = self.client.get(reverse("person_detail", args=[self.person.pk])).content.decode()
        assert "<dd>14 March 1985</dd>" in page and "· Exact" not in page

    def test_the_duplicate_warning_comes_first_and_takes_the_focus(self):
        PersonFactory(household=self.household, family_name="Kang", given_name="Hye-gyŏng",
                      family_name_hangul="강", given_name_hangul="혜경", sex="F", relationship="spouse")
        self.login_as(self.owner)
        response = self.client.post(reverse("person_create", args=[self.household.pk]), {
            "relationship": "sibling", "family_name": "Kang", "given_name": "Hye-gyŏng",
            "family_name_hangul": "강", "given_name_hangul": "혜경", "sex": "F",
            "birth_date_precision": "exact", "birth_date_0": "1985", "birth_date_1": "3", "birth_date_2": "14"})
        page = response.content.decode()
        warning = page.index('id="duplicates"')
        assert warning < page.index('name="relationship"')
        assert re.search(r'<section class="duplicates"[^>]*tabindex="-1" autofocus', page)

    def test_the_claims_deadlines_are_in_date_order(self):
        claim = claim_testing.maple_claim(self)
        due = [deadline.due_on for deadline in claim_deadlines(claim)]
        assert len(due) > 1 and due == sorted(due)
        self.login_as(self.owner)
        page = self.client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
        shown = re.findall(r'<tr data-rule="[^"]+"[^>]*>\s*<td><time datetime="([\d-]+)"', page)
        assert shown == sorted(shown) and len(shown) == len(due)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "expected"), [
    (b"%PDF-1.7\n", "application/pdf"), (b"\x89PNG\r\n\x1a\n....", "image/png"), (b"\xff\xd8\xff\xe0", "image/jpeg"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"), (b"\x00\x00\x00\x18ftypheic", "image/heic"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("Notes d’entretien\n".encode(), "text/plain"),
    (b"MZ\x90\x00\x03", None), (b"<!DOCTYPE html><html><script>x()</script>", None),
    (b"  <svg onload=alert(1)>", None), (b"PK\x03\x04not an archive", None), (b"a\x00b", None),
])
def test_files_are_recognized_by_their_content(content, expected):
    found = detect(content)
    assert (found.content_type if found else None) == expected


class UploadTests(PersonaTestCase):
    def upload(self, name: str, content: bytes, claimed: str = "application/pdf"):
        return self.client.post(reverse("attachment_upload", args=[self.case.pk]), {
            "file": SimpleUploadedFile(name, content, content_type=claimed), "kind": Attachment.Kind.EVIDENCE,
            "description": "", "confidential": "on"})

    def test_only_allowed_types_are_kept_with_a_clear_message(self):
        self.login_as(self.owner)
        before = Attachment.objects.count()
        for name, content in (("setup.exe", b"MZ\x90\x00"), ("page.html", b"<html><script>x()</script></html>"),
                              ("disguised.pdf", b"MZ\x90\x00"), ("report.pdf.exe", b"%PDF-1.4 x"),
                              ("page.txt", b"<!doctype html><p>hi")):
            with self.subTest(name=name):
                response = self.upload(name, content)
                self.assertContains(response, "Haven keeps PDF files, images")
        self.assertEqual(Attachment.objects.count(), before)
        response = self.upload("letter.docx", _docx(), claimed="text/html")
        self.assertEqual(response.status_code, 302)
        stored = Attachment.objects.latest("pk")
        assert stored.content_type.endswith("wordprocessingml.document")  # the content's type, not the claim

    def test_the_api_refuses_the_same_files(self):
        self.login_as(self.owner)
        response = self.client.post("/api/v1/attachments/", {
            "case": self.case.pk, "file": SimpleUploadedFile("x.html", b"<html></html>", content_type="text/html"),
            "kind": "evidence"})
        assert response.status_code == 400 and "Haven keeps PDF files" in response.json()["file"][0]

    def test_a_refused_long_note_is_not_sent_back_whole(self):
        self.login_as(self.owner)
        body = "x" * 5_000_000
        response = self.client.post(reverse("note_create", args=[self.case.pk]), {"body": body})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Ensure this value has at most 20000 characters")
        assert len(response.content) < 200_000
        assert not Note.objects.filter(body__startswith="xxxx").exists()


def test_the_api_documentation_pages_load_nothing_from_outside():
    client = Client()
    for path in ("/api/redoc/", "/api/docs/"):
        page = client.get(path).content.decode()
        referenced = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', page)
        assert referenced and all(url.startswith("/static/") for url in referenced), (path, referenced)
        assert not re.search(r"https?://", page), path
