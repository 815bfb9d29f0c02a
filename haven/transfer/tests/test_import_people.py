"""`haven import people FILE`: a valid file creates everything; one bad row writes nothing."""
from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from haven.audit.models import Action, AuditEntry
from haven.cases.models import Case
from haven.people.models import Household, Nationality, Person, PersonName
from haven.testing.personas import PersonaTestCase
from haven.transfer.errors import ImportRejected
from haven.transfer.readers import read_table
from haven.transfer.services import PEOPLE_COLUMNS, import_people

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "people-import-example.csv"


def csv_bytes(rows: list[dict], columns=PEOPLE_COLUMNS, bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def example_rows() -> list[dict]:
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class ImportTestCase(PersonaTestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, name: str, data: bytes) -> Path:
        path = Path(self.tmp.name) / name
        path.write_bytes(data)
        return path

    def run_import(self, path: Path, *extra) -> str:
        out = io.StringIO()
        call_command("import_data", "people", str(path), "--organization", "maple", "--actor", self.owner.username,
                     "--no-progress", *extra, stdout=out)
        return out.getvalue()

    def assert_nothing_written(self, before):
        self.assertEqual(before, self.counts())

    def counts(self):
        return (Household.objects.count(), Case.objects.count(), Person.objects.count(), PersonName.objects.count(),
                Nationality.objects.count(), AuditEntry.objects.count())


class HappyPathTests(ImportTestCase):
    def check_example_imported(self):
        households = Household.objects.filter(organization=self.org, reference__in=["H-0001", "H-0002"])
        self.assertEqual(households.count(), 2)
        ri = households.get(reference="H-0001")
        self.assertEqual(ri.name, "Ri family")
        case = Case.objects.get(organization=self.org, reference="EX-2026-001")
        self.assertEqual((case.household, case.kind, case.sponsor_group, case.opened_on),
                         (ri, "sponsorship", self.group_a, dt.date(2026, 2, 3)))
        self.assertEqual(Case.objects.get(reference="EX-2026-002").kind, "protection_claim")
        principal = Person.objects.get(household=ri, relationship="principal")
        self.assertEqual((principal.family_name, principal.given_name, principal.family_name_hangul,
                          principal.given_name_hangul, principal.sex, principal.birth_date, principal.birth_country,
                          principal.residence_country),
                         ("Ri", "Myong Chol", "리", "명철", "M", dt.date(1980, 5, 3), "KP", "TH"))
        self.assertEqual((principal.phone, principal.email), ("+66 81 555 0101", "myongchol.ri@example.org"))
        self.assertEqual(sorted(principal.names.values_list("family_name", "given_name", "script")),
                         [("Lee", "Myung-chul", "latin"), ("Yi", "Myŏngch'ŏl", "latin"), ("이", "명철", "hangul")])
        self.assertEqual(sorted(principal.nationalities.values_list("country", "status")),
                         [("KP", "citizen"), ("KR", "may_acquire")])
        self.assertEqual(sorted(principal.languages.values_list("language", "level")),
                         [("eng", "basic"), ("kor", "native")])
        self.assertEqual(list(principal.vulnerabilities.values_list("kind", flat=True)), ["medical_need"])
        # Every spelling finds the person and the case.
        self.assertIn("|leemyungchul|", principal.search_key)
        self.assertIn("|이명철|", principal.search_key)
        self.assertIn("|yimyongchol|", case.search_key)
        spouse = Person.objects.get(household=ri, relationship="spouse")
        self.assertEqual((spouse.birth_date, spouse.birth_date_precision), (dt.date(1983, 1, 1), "year"))
        pak = Person.objects.get(household__reference="H-0002")
        self.assertEqual((pak.birth_date, pak.birth_date_precision), (None, "unknown"))
        self.assertTrue(pak.languages.get(language="kor").needs_interpreter)
        self.assertEqual(sorted(pak.vulnerabilities.values_list("kind", flat=True)),
                         ["family_at_risk", "torture_survivor"])
        # The audit: one event for the file, one per household listing its case and people.
        entries = AuditEntry.objects.filter(action=Action.IMPORT, actor=self.owner).order_by("seq")
        self.assertEqual(entries.count(), 3)
        self.assertEqual(entries[0].changes["persons"], 4)
        household_entry = entries.get(object_type="people.household", object_id=str(ri.pk))
        self.assertEqual(household_entry.case_id, case.pk)
        self.assertEqual(sorted(household_entry.changes["persons"]),
                         sorted(Person.objects.filter(household=ri).values_list("pk", flat=True)))
        self.assertNotIn("+66", str(list(entries.values_list("changes", flat=True))))

    def test_csv_import_creates_households_cases_people_and_audit(self):
        output = self.run_import(EXAMPLE)
        self.assertIn("imported 4 people in 2 households", output)
        self.check_example_imported()
        call_command("audit", "verify", stdout=io.StringIO())

    def test_csv_with_byte_order_mark(self):
        path = self.write("bom.csv", csv_bytes(example_rows(), bom=True))
        self.assertTrue(path.read_bytes().startswith(b"\xef\xbb\xbf"))
        self.run_import(path)
        self.check_example_imported()

    def test_xlsx_import_with_date_and_number_cells(self):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(list(PEOPLE_COLUMNS))
        for row in example_rows():
            values = [row.get(column, "") for column in PEOPLE_COLUMNS]
            if row["birth_date"] and row["birth_date_precision"] == "exact":
                values[PEOPLE_COLUMNS.index("birth_date")] = dt.datetime.fromisoformat(row["birth_date"])
            values[PEOPLE_COLUMNS.index("case_opened_on")] = (dt.date.fromisoformat(row["case_opened_on"])
                                                              if row["case_opened_on"] else None)
            sheet.append([value if value != "" else None for value in values])
        buffer = io.BytesIO()
        workbook.save(buffer)
        path = self.write("people.xlsx", buffer.getvalue())
        self.run_import(path)
        self.check_example_imported()

    def test_only_the_required_columns(self):
        columns = ("household_key", "household_name", "case_reference", "relationship", "family_name",
                   "given_name")
        rows = [{"household_key": "M1", "household_name": "Jo family", "case_reference": "MIN-1",
                 "relationship": "principal", "family_name": "Jo", "given_name": "Un Hui"},
                {"household_key": "M1", "relationship": "child", "family_name": "", "given_name": "Song Il"}]
        self.run_import(self.write("minimal.csv", csv_bytes(rows, columns=columns)))
        case = Case.objects.get(reference="MIN-1")
        self.assertEqual((case.kind, case.status, case.sponsor_group), ("sponsorship", "open", None))
        child = Person.objects.get(household=case.household, relationship="child")
        self.assertEqual((child.given_name, child.sex, child.birth_date, child.birth_date_precision),
                         ("Song Il", "U", None, "unknown"))

    def test_dry_run_validates_and_writes_nothing(self):
        before = self.counts()
        output = self.run_import(EXAMPLE, "--dry-run")
        self.assertIn("Dry run: the file is valid; would import 4 people in 2 households", output)
        self.assert_nothing_written(before)


class RejectedFileTests(ImportTestCase):
    def test_bad_rows_are_all_reported_and_nothing_is_written(self):
        rows = example_rows()
        rows[0]["sponsor_group"] = "Group Z"                     # row 2: unknown sponsor group
        rows[1]["birth_date"] = "1983-02-30"                      # row 3: not a real date
        rows[1]["nationalities"] = "KP:citizen; Atlantis:held"    # row 3: not a country
        rows[1]["sex"] = "Q"                                      # row 3: not a choice
        rows[2]["relationship"] = "principal"                     # row 4: a second principal
        rows[2]["household_name"] = "Lee family"                  # row 4: household name differs
        rows[2]["languages"] = "notalanguage:native"                   # row 4: not a language
        rows[3]["case_reference"] = self.case.reference            # row 5: the case exists already
        rows[3]["email"] = "not an address"                        # row 5
        rows[3]["vulnerabilities"] = "torture_survivor; brave"     # row 5
        rows[3]["family_name"] = rows[3]["given_name"] = rows[3]["family_name_hangul"] = ""
        rows[3]["given_name_hangul"] = "Chul"                      # row 5: Hangul column in Latin letters
        path = self.write("bad.csv", csv_bytes(rows))
        before = self.counts()
        with self.assertRaises(CommandError) as raised:
            self.run_import(path)
        message = str(raised.exception)
        for expected in (
            "row 2, column sponsor_group: “Group Z” is not a sponsor group of maple",
            "row 3, column birth_date: “1983-02-30” is not a real date",
            "row 3, column nationalities: “Atlantis:held”",
            "row 3, column sex: “Q” is not one of",
            "row 4, column relationship: household H-0001 already has a principal on row 2",
            "row 4, column household_name: “Lee family” differs from “Ri family” on row 2",
            "row 4, column languages: “notalanguage:native”",
            f"row 5, column case_reference: case {self.case.reference} already exists in maple",
            "row 5, column email: “not an address” is not an e-mail address",
            "row 5, column vulnerabilities: “brave” is not one of",
            "row 5, column given_name_hangul: “Chul” must be written in Hangul",
            "nothing was imported",
        ):
            self.assertIn(expected, message)
        self.assert_nothing_written(before)

    def test_one_bad_row_among_good_ones_blocks_the_whole_file(self):
        rows = example_rows()
        rows[3]["birth_date"] = "03/10/1975"
        before = self.counts()
        with self.assertRaisesMessage(CommandError, "row 5, column birth_date: “03/10/1975” is not a date written "
                                                    "YYYY-MM-DD"):
            self.run_import(self.write("one-bad.csv", csv_bytes(rows)))
        self.assert_nothing_written(before)

    def test_unknown_and_missing_columns(self):
        columns = [c for c in PEOPLE_COLUMNS if c != "relationship"] + ["favourite_colour"]
        rows = [dict(row, favourite_colour="blue") for row in example_rows()]
        before = self.counts()
        with self.assertRaises(CommandError) as raised:
            self.run_import(self.write("columns.csv", csv_bytes(rows, columns=columns)))
        self.assertIn("row 1, column favourite_colour: unknown column", str(raised.exception))
        self.assertIn("row 1, column relationship: required column is missing", str(raised.exception))
        self.assert_nothing_written(before)

    def test_household_without_principal_and_duplicate_case_reference(self):
        rows = example_rows()
        rows[0]["relationship"] = "sibling"
        rows[3]["case_reference"] = "EX-2026-001"
        with self.assertRaises(ImportRejected) as raised:
            import_people(actor=self.owner, organization=self.org, rows=rows)
        messages = [str(error) for error in raised.exception.errors]
        self.assertIn("row 2, column relationship: household H-0001 has no principal", messages)
        self.assertIn("row 5, column case_reference: EX-2026-001 is also the case of household H-0001 (row 2)",
                      messages)

    def test_not_utf8_and_empty_files(self):
        with self.assertRaisesMessage(ImportRejected, "row 1: the file is neither XLSX nor UTF-8 CSV"):
            read_table("household_key,family_name\nH1,Müller\n".encode("latin-1"))
        with self.assertRaisesMessage(ImportRejected, "row 1: the file is empty"):
            read_table(b"")

    def test_actor_must_be_staff_of_the_organization(self):
        before = self.counts()
        for user in (self.volunteer, self.analyst, self.outsider):
            with self.subTest(user=user.username), self.assertRaisesMessage(CommandError, "cannot import"):
                call_command("import_data", "people", str(EXAMPLE), "--organization", "maple",
                             "--actor", user.username, stdout=io.StringIO())
        self.assert_nothing_written(before)


class FormulaWithoutValueTests(ImportTestCase):
    """Issue 14, defect 5: a formula saved without its value (as openpyxl writes them) read as an empty cell and
    imported silently; it is an error naming the cell, and nothing is written."""

    def test_a_formula_without_a_saved_value_is_an_error_naming_the_cell(self):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(list(PEOPLE_COLUMNS))
        for row in example_rows():
            sheet.append([row.get(column, "") or None for column in PEOPLE_COLUMNS])
        column = PEOPLE_COLUMNS.index("given_name") + 1
        sheet.cell(row=3, column=column).value = '=UPPER("Ok-sun")'
        buffer = io.BytesIO()
        workbook.save(buffer)
        before = self.counts()
        with self.assertRaises(ImportRejected) as raised:
            read_table(buffer.getvalue())
        letter = sheet.cell(row=3, column=column).column_letter
        self.assertEqual([str(error) for error in raised.exception.errors],
                         [f'row 3, column {letter}: the formula =UPPER("Ok-sun") has no saved value: recalculate and '
                          f'save the file in a spreadsheet program, or paste the values instead of the formula'])
        with self.assertRaisesMessage(CommandError, f"row 3, column {letter}: the formula"):
            self.run_import(self.write("people.xlsx", buffer.getvalue()))
        self.assert_nothing_written(before)

    def test_a_formula_with_its_saved_value_reads_as_the_value(self):
        """The value a spreadsheet program saved with the formula is what is read."""
        workbook = Workbook()
        workbook.active.append(["name", "total"])
        workbook.active.append(["Kim", "=1+1"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        recalculated = io.BytesIO()
        with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(recalculated, "w") as target:
            for item in source.infolist():
                target.writestr(item, source.read(item.filename).replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>"))
        self.assertEqual(read_table(recalculated.getvalue()).rows, [(2, {"name": "Kim", "total": "2"})])


class PartialBirthDateImportTests(ImportTestCase):
    """A birth date known to the year or the month is written as such ("1975", "1975-03") and stored with its
    precision, as the forms and the API store it; a precision the value cannot meet is refused."""

    def test_year_and_month_dates(self):
        rows = example_rows()
        rows[0].update(birth_date="1975", birth_date_precision="")
        rows[1].update(birth_date="1968-11", birth_date_precision="")
        import_people(actor=self.owner, organization=self.org, rows=rows)
        first = Person.objects.get(family_name=rows[0]["family_name"], given_name=rows[0]["given_name"])
        second = Person.objects.get(family_name=rows[1]["family_name"], given_name=rows[1]["given_name"])
        self.assertEqual((first.birth_date, first.birth_date_precision), (dt.date(1975, 1, 1), "year"))
        self.assertEqual((second.birth_date, second.birth_date_precision), (dt.date(1968, 11, 1), "month"))

    def test_a_precision_the_value_cannot_meet(self):
        rows = example_rows()
        rows[0].update(birth_date="1975", birth_date_precision="exact")
        rows[1].update(birth_date="1968-13", birth_date_precision="")
        with self.assertRaises(ImportRejected) as raised:
            import_people(actor=self.owner, organization=self.org, rows=rows)
        messages = [str(error) for error in raised.exception.errors]
        self.assertIn("row 2, column birth_date: “1975” does not give the day or month that “exact” needs",
                      messages)
        self.assertIn("row 3, column birth_date: “1968-13” is not a real date", messages)
