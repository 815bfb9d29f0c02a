"""Case exports: what they contain, whom they show, and that they are audited."""
from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from haven.audit.models import Action, AuditEntry
from haven.cases.access import visible_cases
from haven.cases.models import Case
from haven.testing.factories import CaseFactory, HouseholdFactory, PersonFactory
from haven.testing.personas import PersonaTestCase
from haven.transfer.export import COLUMNS, export_cases

SECRETS = ("Disclosed at intake", "Hyesan at risk", "Airport pickup", "boc.pdf", "sgbv", "+66")


def read_csv(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


class ExportServiceTests(PersonaTestCase):
    def test_csv_lists_visible_cases_with_member_names_only(self):
        content, content_type, filename = export_cases(user=self.owner, cases=visible_cases(self.owner), fmt="csv")
        self.assertEqual(content_type, "text/csv; charset=utf-8")
        self.assertTrue(filename.endswith(".csv"))
        rows = read_csv(content)
        self.assertEqual(list(rows[0].keys()), list(COLUMNS))
        self.assertEqual([row["reference"] for row in rows], ["MSS-2026-001"])
        row = rows[0]
        self.assertEqual((row["organization"], row["sponsor_group"], row["status"], row["opened_on"]),
                         ("Maple Sponsorship Society", "Group A", "open", "2026-01-15"))
        self.assertEqual(row["household"], "HH-001 · Ri family")
        self.assertEqual(row["members"], "Ri Myŏng-ch'ŏl (리명철); Ri Su-a (리수아)")
        text = content.decode("utf-8-sig")
        for secret in SECRETS:
            self.assertNotIn(secret, text)
        self.assertNotIn("HLC-2026-077", text)

    def test_xlsx_has_the_same_rows_with_real_dates(self):
        content, content_type, filename = export_cases(user=self.owner, cases=visible_cases(self.owner), fmt="xlsx")
        self.assertIn("spreadsheetml", content_type)
        rows = read_xlsx(content)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["reference"], "MSS-2026-001")
        self.assertEqual(rows[0]["opened_on"].date().isoformat(), "2026-01-15")
        self.assertEqual(rows[0]["members"], "Ri Myŏng-ch'ŏl (리명철); Ri Su-a (리수아)")

    def test_outsider_export_never_contains_the_other_organizations_cases(self):
        for cases in (visible_cases(self.outsider), Case.objects.all()):
            content, _, _ = export_cases(user=self.outsider, cases=cases, fmt="csv")
            self.assertEqual([row["reference"] for row in read_csv(content)], ["HLC-2026-077"])
            content, _, _ = export_cases(user=self.outsider, cases=cases, fmt="xlsx")
            self.assertEqual([row["reference"] for row in read_xlsx(content)], ["HLC-2026-077"])

    def test_volunteer_sees_only_their_group_and_analyst_nothing(self):
        CaseFactory(household=HouseholdFactory(organization=self.org), sponsor_group=self.group_b, reference="B-1")
        content, _, _ = export_cases(user=self.volunteer, cases=Case.objects.all(), fmt="csv")
        self.assertEqual([row["reference"] for row in read_csv(content)], ["MSS-2026-001"])
        content, _, _ = export_cases(user=self.analyst, cases=Case.objects.all(), fmt="csv")
        self.assertEqual(read_csv(content), [])

    def test_export_is_audited_with_the_case_ids(self):
        export_cases(user=self.colleague, cases=visible_cases(self.colleague), fmt="xlsx")
        entry = AuditEntry.objects.filter(action=Action.EXPORT, actor=self.colleague).get()
        self.assertEqual(entry.changes["case_ids"], [self.case.pk])
        self.assertEqual(entry.changes["format"], "xlsx")

    def test_text_that_looks_like_a_formula_is_neutralized(self):
        Case.objects.filter(pk=self.case.pk).update(title='=HYPERLINK("http://evil.example","x")')
        content, _, _ = export_cases(user=self.owner, cases=visible_cases(self.owner), fmt="csv")
        self.assertEqual(read_csv(content)[0]["title"], '\'=HYPERLINK("http://evil.example","x")')
        content, _, _ = export_cases(user=self.owner, cases=visible_cases(self.owner), fmt="xlsx")
        self.assertEqual(read_xlsx(content)[0]["title"], '\'=HYPERLINK("http://evil.example","x")')

    def test_unknown_format_is_refused(self):
        with self.assertRaises(ValueError):
            export_cases(user=self.owner, cases=visible_cases(self.owner), fmt="pdf")


class ExportViewTests(PersonaTestCase):
    url = reverse("case_export")

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])
        self.assertFalse(AuditEntry.objects.filter(action=Action.EXPORT).exists())

    def test_analyst_gets_404(self):
        self.login_as(self.analyst)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertFalse(AuditEntry.objects.filter(action=Action.EXPORT).exists())

    def test_outsider_downloads_only_their_own_cases(self):
        self.login_as(self.outsider)
        response = self.client.get(self.url, {"format": "csv"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertEqual([row["reference"] for row in read_csv(response.content)], ["HLC-2026-077"])

    def test_search_and_status_filters_apply(self):
        other = HouseholdFactory(organization=self.org, reference="HH-002", name="Pak family")
        PersonFactory(household=other, family_name="Pak", given_name="Chol-su")
        CaseFactory(household=other, reference="MSS-2026-002", status="on_hold")
        self.login_as(self.colleague)
        rows = read_csv(self.client.get(self.url, {"format": "csv"}).content)
        self.assertEqual(sorted(row["reference"] for row in rows), ["MSS-2026-001", "MSS-2026-002"])
        rows = read_csv(self.client.get(self.url, {"format": "csv", "q": "Myong chol"}).content)
        self.assertEqual([row["reference"] for row in rows], ["MSS-2026-001"])
        rows = read_csv(self.client.get(self.url, {"format": "csv", "status": "on_hold"}).content)
        self.assertEqual([row["reference"] for row in rows], ["MSS-2026-002"])
        response = self.client.get(self.url, {"format": "xlsx", "q": "리명철"})
        self.assertEqual([row["reference"] for row in read_xlsx(response.content)], ["MSS-2026-001"])

    def test_unknown_format_is_a_bad_request(self):
        self.login_as(self.owner)
        self.assertEqual(self.client.get(self.url, {"format": "pdf"}).status_code, 400)

    def test_query_count_does_not_grow_with_cases(self):
        self.login_as(self.colleague)

        def export_queries() -> tuple[int, int]:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(self.url, {"format": "csv"})
            return len(read_csv(response.content)), len(queries)

        rows, baseline = export_queries()
        self.assertEqual(rows, 1)
        for index in range(2, 12):
            household = HouseholdFactory(organization=self.org, reference=f"HH-{index:03d}")
            PersonFactory(household=household)
            PersonFactory(household=household)
            CaseFactory(household=household, reference=f"MSS-2026-{index:03d}")
        self.assertEqual(export_queries(), (11, baseline))
        self.assertLessEqual(baseline, 16)


class ExportCommandTests(PersonaTestCase):
    def test_command_writes_the_users_cases(self):
        with tempfile.TemporaryDirectory() as directory:
            out = Path(directory) / "cases.csv"
            call_command("export", "cases", "--user", self.outsider.username, "--format", "csv", "--out", str(out),
                         stdout=io.StringIO())
            self.assertEqual([row["reference"] for row in read_csv(out.read_bytes())], ["HLC-2026-077"])
            out = Path(directory) / "cases.xlsx"
            call_command("export", "cases", "--user", self.owner.username, "--format", "xlsx", "--out", str(out),
                         stdout=io.StringIO())
            self.assertEqual([row["reference"] for row in read_xlsx(out.read_bytes())], ["MSS-2026-001"])
        self.assertEqual(AuditEntry.objects.filter(action=Action.EXPORT).count(), 2)
