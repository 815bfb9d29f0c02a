"""Text that may be stored (haven.records.text): every control character but tab and line breaks is refused, with
one message, by the services, the forms, the API and the importers; the XLSX export survives text stored before."""
from __future__ import annotations

import csv
import io
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from haven.cases import services as case_services
from haven.cases.access import visible_cases
from haven.cases.models import Case, Note
from haven.claims import services as claim_services
from haven.claims.import_validation import COLUMNS as CLAIM_COLUMNS
from haven.claims.importing import run_claims_import
from haven.claims.models import Claim, EventType
from haven.people import services as people_services
from haven.people.models import Household, Person
from haven.records.text import (
    SafeTextForm,
    check_safe_fields,
    check_safe_text,
    find_unsafe_character,
    replace_unsafe_characters,
    unsafe_cells,
)
from haven.testing.personas import PersonaTestCase
from haven.transfer.errors import ImportRejected
from haven.transfer.export import export_cases
from haven.transfer.readers import read_table
from haven.transfer.services import PEOPLE_COLUMNS, import_people

ALLOWED_CONTROLS = {"\t", "\n", "\r"}
REFUSED = [chr(code) for code in range(sys.maxunicode + 1)
           if unicodedata.category(chr(code)) == "Cc" and chr(code) not in ALLOWED_CONTROLS]
VT_MESSAGE = "Remove the control character U+000B from this text."


def message_for(character: str) -> str:
    return f"Remove the control character U+{ord(character):04X} from this text."


# --- the check itself -------------------------------------------------------------------------------------


def test_every_control_character_but_tab_and_line_breaks_is_refused():
    assert len(REFUSED) == 62  # C0 (32) and DEL with C1 (33), less tab, line feed and carriage return
    for character in REFUSED:
        assert find_unsafe_character(f"Ri{character}Myong") == character
    for text in ("Ri Myŏng-ch'ŏl", "리명철", "line one\r\nline two\tend", "emoji 🙂 and U+FEFF \ufeff", ""):
        assert find_unsafe_character(text) is None
        check_safe_text(text, field="note")


def test_the_message_names_the_character_and_the_field():
    with pytest.raises(ValidationError) as raised:
        check_safe_text("Ri\x0bMyong", field="given_name")
    assert raised.value.message_dict == {"given_name": [VT_MESSAGE]}
    with pytest.raises(ValidationError) as raised:
        check_safe_text("\x00")
    assert raised.value.messages == [message_for("\x00")]
    assert raised.value.error_list[0].code == "control_character"


def test_the_message_is_translated():
    with translation.override("fr"):
        with pytest.raises(ValidationError) as raised:
            check_safe_text("a\x1bb", field="body")
        assert raised.value.message_dict == {"body": ["Supprimez le caractère de contrôle U+001B de ce texte."]}
    with translation.override("ko"):
        with pytest.raises(ValidationError) as raised:
            check_safe_text("a\x1bb")
        assert raised.value.messages == ["이 텍스트에서 제어 문자 U+001B을(를) 지우세요."]


def test_check_safe_fields_reports_every_text_field_of_an_instance():
    person = Person(family_name="Ri\x01", given_name="Su-a", birth_place="Hye\x7fsan", phone="+1\x00",
                    search_key="ri\x01")  # derived, not typed: not reported
    with pytest.raises(ValidationError) as raised:
        check_safe_fields(person)
    assert raised.value.message_dict == {"family_name": [message_for("\x01")], "birth_place": [message_for("\x7f")],
                                         "phone": [message_for("\x00")]}
    with pytest.raises(ValidationError) as raised:
        check_safe_fields({"name": "ok", "reference": "H\x1f1"})
    assert list(raised.value.message_dict) == ["reference"]


def test_safe_text_form_gives_the_same_message_for_nul():
    from django import forms

    class Plain(forms.Form):
        name = forms.CharField()

    class Safe(SafeTextForm):
        name = forms.CharField()

    assert Plain({"name": "a\x00b"}).errors["name"] == ["Null characters are not allowed."]
    assert Safe({"name": "a\x00b"}).errors["name"] == [message_for("\x00")]
    assert Safe({"name": "a\x0bb"}).errors["name"] == [VT_MESSAGE]
    assert Safe({"name": "a\tb"}).is_valid()


def test_replace_unsafe_characters_keeps_line_breaks():
    assert replace_unsafe_characters("a\x0bb\x00c\td\ne") == "a\ufffdb\ufffdc\td\ne"


# --- every entry point ------------------------------------------------------------------------------------


def csv_bytes(columns, rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


PEOPLE_ROWS = [
    {"household_key": "H-9", "household_name": "Pak family", "case_reference": "IMP-9", "relationship": "principal",
     "family_name": "Pak", "given_name": "Chol"},
    {"household_key": "H-9", "relationship": "spouse", "family_name": "Kim", "given_name": "Ok\x00sun"},
]


class ServiceTests(PersonaTestCase):
    def test_people_services_refuse_control_characters(self):
        with pytest.raises(ValidationError) as raised:
            people_services.update_person(actor=self.owner, person=self.person, data={"given_name": "Myong\x0bChol"})
        assert raised.value.message_dict == {"given_name": [VT_MESSAGE]}
        with pytest.raises(ValidationError):
            people_services.create_household(actor=self.owner, organization=self.org, reference="HH-\x00",
                                             name="Pak family")
        with pytest.raises(ValidationError):
            people_services.add_vulnerability(actor=self.owner, person=self.person, kind="medical_need",
                                              details="insulin\x1b[31m")
        self.person.refresh_from_db()
        assert self.person.given_name == "Myŏng-ch'ŏl"
        assert not Household.objects.filter(name="Pak family").exists()

    def test_case_services_refuse_control_characters(self):
        for call in (
            lambda: case_services.update_case(actor=self.owner, case=self.case, title="Ri\x01"),
            lambda: case_services.add_note(actor=self.owner, case=self.case, body="line\x00"),
            lambda: case_services.update_note(actor=self.owner, note=self.note, body="x\x0cy", confidential=True),
            lambda: case_services.add_attachment(actor=self.owner, case=self.case, filename="a\x07.pdf",
                                                 content=b"%PDF", content_type="application/pdf"),
        ):
            with pytest.raises(ValidationError) as raised:
                call()
            assert raised.value.messages[0].startswith("Remove the control character U+00")
        self.case.refresh_from_db()
        assert self.case.title == "Ri family sponsorship"
        assert not Note.objects.filter(body="line\x00").exists()

    def test_claim_services_refuse_control_characters(self):
        claim = claim_services.create_claim(actor=self.owner, case=self.case, reference="TB6-00009",
                                            claimant=self.person, country_of_persecution="KP")
        with pytest.raises(ValidationError) as raised:
            claim_services.record_event(actor=self.owner, claim=claim, type=EventType.REFERRAL,
                                        occurred_on=self.case.opened_on, note="BOC\x1b")
        assert raised.value.message_dict == {"note": [message_for("\x1b")]}
        with pytest.raises(ValidationError):
            claim_services.add_issue(actor=self.owner, claim=claim, kind="identity", notes="\x00")
        with pytest.raises(ValidationError):
            claim_services.create_claim(actor=self.owner, case=self.case, reference="TB6\x0b10",
                                        claimant=self.person, country_of_persecution="KP")
        assert not claim.events.exists()
        assert not Claim.objects.filter(reference="TB6\x0b10").exists()


    def test_member_names_too(self):
        from haven.accounts.models import User
        from haven.accounts.services import add_member

        with pytest.raises(ValidationError) as raised:
            add_member(actor=self.admin, organization=self.org, username="sun-hee@maple.test", email="",
                       first_name="Sun\x1bhee", role="caseworker")
        assert raised.value.message_dict == {"first_name": [message_for("\x1b")]}
        assert not User.objects.filter(username="sun-hee@maple.test").exists()


class FormTests(PersonaTestCase):
    def test_person_form_shows_the_message_for_nul_and_other_control_characters(self):
        self.login_as(self.owner)
        url = reverse("person_edit", args=[self.person.pk])
        data = {key: "" if value is None else value
                for key, value in self.client.get(url).context["form"].initial.items()}
        for character in ("\x00", "\x0b", "\x1b"):
            response = self.client.post(url, {**data, "given_name": f"Myong{character}Chol"})
            assert response.status_code == 200
            assert response.context["form"].errors["given_name"] == [message_for(character)]
        self.person.refresh_from_db()
        assert self.person.given_name == "Myŏng-ch'ŏl"

    def test_member_form(self):
        self.login_as(self.admin)
        response = self.client.post(reverse("member_add", kwargs={"pk": self.org.pk}), {
            "username": "sun-hee@maple.test", "first_name": "Sun\x00hee", "role": "caseworker"})
        self.assertContains(response, message_for("\x00"), status_code=400)

    def test_note_form_in_french(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("note_create", args=[self.case.pk]),
                                    {"body": "appel\x00", "confidential": "on"}, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.context["form"].errors["body"] == ["Supprimez le caractère de contrôle U+0000 de ce texte."]
        assert not Note.objects.filter(body__startswith="appel").exists()

    def test_claim_step_form(self):
        self.login_as(self.owner)
        claim = claim_services.create_claim(actor=self.owner, case=self.case, reference="TB6-00011",
                                            claimant=self.person, country_of_persecution="KP")
        response = self.client.post(reverse("claim_event_add", args=[claim.pk]),
                                    {"type": "referral", "occurred_on": "2024-01-08", "note": "a\x00b"})
        assert response.context["form"].errors["note"] == [message_for("\x00")]
        assert not claim.events.exists()


class ApiTests(PersonaTestCase):
    client_class = APIClient

    def test_patch_person_with_control_characters_is_refused(self):
        self.login_as(self.owner)
        url = reverse("person-detail", args=[self.person.pk])
        for character in ("\u000b", "\x01", "\x1b", "\x00"):
            response = self.client.patch(url, {"given_name": f"Myong{character}Chol"}, format="json")
            assert response.status_code == 400, response.content
            assert response.json() == {"given_name": [message_for(character)]}
        self.person.refresh_from_db()
        assert self.person.given_name == "Myŏng-ch'ŏl"

    def test_notes_cases_and_households_too(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("note-list"), {"case": self.case.pk, "body": "x\x00y"}, format="json")
        assert (response.status_code, response.json()) == (400, {"body": [message_for("\x00")]})
        response = self.client.patch(reverse("case-detail", args=[self.case.pk]), {"title": "t\x08"}, format="json")
        assert (response.status_code, response.json()) == (400, {"title": [message_for("\x08")]})
        response = self.client.post(reverse("household-list"),
                                    {"organization": self.org.pk, "reference": "HH-7", "name": "Pak\x9b"},
                                    format="json")
        assert (response.status_code, response.json()) == (400, {"name": [message_for("\x9b")]})
        assert not Household.objects.filter(reference="HH-7").exists()

    def test_french_message(self):
        self.login_as(self.owner)
        response = self.client.patch(reverse("person-detail", args=[self.person.pk]), {"family_name": "R\x0bi"},
                                     format="json", HTTP_ACCEPT_LANGUAGE="fr")
        assert response.json() == {"family_name": ["Supprimez le caractère de contrôle U+000B de ce texte."]}


class ImportTests(PersonaTestCase):
    """A NUL byte stored on SQLite and crashed the import on PostgreSQL: now a row error, nothing written."""

    def test_people_csv_with_nul_is_a_row_error(self):
        with pytest.raises(ImportRejected) as raised:
            table = read_table(csv_bytes(PEOPLE_COLUMNS, PEOPLE_ROWS))
            import_people(actor=self.owner, organization=self.org, rows=table.rows, columns=table.columns)
        assert [str(error) for error in raised.value.errors] == [f"row 3, column given_name: {message_for(chr(0))}"]
        assert not Household.objects.filter(reference="H-9").exists()

    def test_people_xlsx_with_control_character_is_a_row_error(self):
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["household_key", "household_name", "case_reference", "relationship", "family_name",
                      "given_name"])
        sheet.append(["H-9", "Pak family", "IMP-9", "principal", "Pak", "Chol"])
        # XML 1.0 (so XLSX) can hold DEL and the C1 controls, not C0 ones: openpyxl refuses to write those.
        sheet.append(["H-9", "", "", "spouse", "Kim", "Ok\x9bsun"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        with pytest.raises(ImportRejected) as raised:
            read_table(buffer.getvalue())
        assert [str(error) for error in raised.value.errors] == [f"row 3, column given_name: {message_for(chr(0x9b))}"]

    def test_people_import_page_lists_the_row_error(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.login_as(self.owner)
        upload = SimpleUploadedFile("people.csv", csv_bytes(PEOPLE_COLUMNS, PEOPLE_ROWS), content_type="text/csv")
        response = self.client.post(reverse("people_import"), {"organization": self.org.pk, "file": upload})
        assert response.status_code == 400
        assert [str(error) for error in response.context["errors"]] == [
            f"row 3, column given_name: {message_for(chr(0))}"]
        assert not Household.objects.filter(reference="H-9").exists()

    def test_claims_csv_with_nul_is_a_row_error(self):
        rows = [{"claim_ref": "NUL-1", "claimant_ref": "H-NUL", "family_name": "Kim", "given_name": "A",
                 "country_of_persecution": "KP", "province": "ON"},
                {"claim_ref": "NUL-2", "claimant_ref": "H-NUL", "family_name": "Kim\x00", "given_name": "B",
                 "country_of_persecution": "KP", "province": "ON"}]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "claims.csv"
            path.write_bytes(csv_bytes(CLAIM_COLUMNS, rows))
            with pytest.raises(ImportRejected) as raised:
                run_claims_import(path=path, organization=self.org, actor=self.owner, dry_run=False)
        assert [str(error) for error in raised.value.errors] == [f"row 3, column family_name: {message_for(chr(0))}"]
        assert not Claim.objects.filter(reference__startswith="NUL-").exists()
        assert not Case.objects.filter(reference__startswith="NUL-").exists()


class RowsPassedByCodeTests(PersonaTestCase):
    """Rows a program hands to an importer (the demo, tests, benchmarks) never went through the file reader's scan:
    each importer's row validation refuses them the same way, `row N, column X: message`, nothing written."""

    def test_people_rows_with_control_characters_are_row_errors(self):
        rows = [(2, {"household_key": "H-8", "household_name": "Pak family", "case_reference": "IMP-8",
                     "relationship": "principal", "family_name": "Pak", "given_name": "Chol"}),
                (3, {"household_key": "H-8", "relationship": "spouse", "family_name": "Kim\x01",
                     "given_name": "Ok\x00sun"})]
        with pytest.raises(ImportRejected) as raised:
            import_people(actor=self.owner, organization=self.org, rows=rows, columns=list(rows[0][1]))
        assert [str(error) for error in raised.value.errors] == [
            f"row 3, column family_name: {message_for(chr(1))}", f"row 3, column given_name: {message_for(chr(0))}"]
        assert not Household.objects.filter(reference="H-8").exists()

    def test_claims_rows_with_nul_are_row_errors(self):
        from haven.claims.importing import import_claims

        rows = [(2, {"claim_ref": "NUL-3", "claimant_ref": "H-NUL3", "family_name": "Kim", "given_name": "A",
                     "country_of_persecution": "KP", "province": "ON"}),
                (3, {"claim_ref": "NUL-4", "claimant_ref": "H-NUL4", "family_name": "Kim", "given_name": "B\x00",
                     "country_of_persecution": "KP", "province": "ON"})]
        for method in ("bulk", "services"):
            with self.subTest(method=method), pytest.raises(ImportRejected) as raised:
                import_claims(actor=self.owner, organization=self.org, rows=rows, columns=list(rows[0][1]),
                              method=method)
            assert [str(error) for error in raised.value.errors] == [
                f"row 3, column given_name: {message_for(chr(0))}"]
        assert not Claim.objects.filter(reference__startswith="NUL-").exists()

    def test_a_clean_row_is_one_search_and_a_dirty_one_names_each_cell(self):
        assert unsafe_cells({"a": "Pak", "b": "line\nbreak\ttab", "c": None}) == []
        assert unsafe_cells({"a": "P\x7fak", "b": "ok", "c": "\x1b"}) == [("a", message_for("\x7f")),
                                                                        ("c", message_for("\x1b"))]


class ExportTests(PersonaTestCase):
    """A name stored with a control character before the check made the XLSX export answer 500."""

    def test_xlsx_export_survives_text_stored_before_the_check(self):
        Person.objects.filter(pk=self.person.pk).update(given_name="Myong\x0bChol\x1b")
        Case.objects.filter(pk=self.case.pk).update(title="Ri\x01 family")
        content, _, _ = export_cases(user=self.owner, cases=visible_cases(self.owner), fmt="xlsx")
        rows = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
        row = dict(zip(rows[0], rows[1]))
        assert row["title"] == "Ri\ufffd family"
        assert "Ri Myong\ufffdChol\ufffd" in row["members"]

    def test_the_export_page_answers(self):
        Person.objects.filter(pk=self.person.pk).update(given_name="Myong\x0bChol")
        self.login_as(self.owner)
        response = self.client.get(reverse("case_export"), {"format": "xlsx"})
        assert response.status_code == 200
        load_workbook(io.BytesIO(response.content), read_only=True)
