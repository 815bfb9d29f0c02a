"""Access to every statistics route, per persona, and what each one shows."""
import io

from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from haven.audit.models import Action, AuditEntry
from haven.stats.tests.helpers import make_claim
from haven.testing.personas import PersonaTestCase

ROUTES = ["stats_outcomes", "stats_published", "stats_quality"]


def export_url(key="claim_outcomes", fmt="csv", query=""):
    return reverse("stats_export", kwargs={"key": key, "fmt": fmt}) + query


class StatsAccessTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from haven.stats.models import PublishedSource
        from haven.stats.services import load_seed

        if not PublishedSource.objects.exists():  # flushed by a transactional test run before this one
            load_seed()
        # Seven Maple claims in 2024 (three accepted), one of them decided before its referral.
        for i in range(7):
            make_claim(case=cls.case, referred="2024-02-01", outcome="accepted" if i < 3 else "",
                       outcome_on="2024-06-01" if i < 3 else None, reference=f"MAPLE-{i}")
        make_claim(case=cls.case, referred="2024-05-01", outcome="rejected", outcome_on="2024-04-01",
                   reference="MAPLE-BAD")
        # One claim of the clinic (the outsider's organization).
        make_claim(case=cls.other_case, referred="2023-01-01", reference="HARBOUR-1")

    def test_anonymous_is_redirected_to_login(self):
        for url in [reverse(name) for name in ROUTES] + [export_url()]:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn(reverse("login"), response["Location"])

    def test_owner_sees_exact_internal_counts_of_own_organization(self):
        self.login_as(self.owner)
        response = self.client.get(reverse("stats_outcomes"))
        self.assertEqual(response.status_code, 200)
        report = response.context["reports"][0]
        rows = {row["period"]: row for row in report["table"].rows}
        self.assertEqual(rows["2024"]["referred"], 8)
        self.assertEqual(rows["2024"]["accepted"], 3)
        self.assertNotIn("2023", rows)  # the clinic's claim is not Maple's
        self.assertFalse(report["table"].published)
        self.assertContains(response, "<svg", html=False)

    def test_owner_may_ask_for_the_published_version(self):
        self.login_as(self.owner)
        response = self.client.get(reverse("stats_outcomes") + "?version=published")
        rows = {row["period"]: row for row in response.context["reports"][0]["table"].rows}
        self.assertEqual(rows["2024"]["accepted"], "--")
        self.assertEqual(rows["2024"]["referred"], 10)

    def test_analyst_sees_only_suppressed_and_rounded_aggregates(self):
        self.login_as(self.analyst)
        for query in ("", "?version=internal"):
            response = self.client.get(reverse("stats_outcomes") + query)
            self.assertEqual(response.status_code, 200)
            table = response.context["reports"][0]["table"]
            self.assertTrue(table.published)
            row = {r["period"]: r for r in table.rows}["2024"]
            self.assertEqual((row["referred"], row["accepted"], row["finalized"]), (10, "--", "--"))
            self.assertEqual(row["acceptance_rate"], "--")
        self.assertNotContains(response, "Internal (exact counts")
        csv_text = self.client.get(export_url()).content.decode()
        self.assertIn("--", csv_text)
        self.assertNotIn(",8,", csv_text)

    def test_analyst_never_sees_a_record_on_the_quality_page(self):
        self.login_as(self.analyst)
        response = self.client.get(reverse("stats_quality"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["checks"], [])
        self.assertNotContains(response, "MAPLE-BAD")
        self.assertNotContains(response, "MSS-2026-001")
        self.assertNotContains(response, reverse("case_detail", args=[self.case.pk]))

    def test_owner_sees_quality_items_linked_to_the_case(self):
        self.login_as(self.owner)
        from django.db import connection

        from django.test.utils import CaptureQueriesContext

        # The size of the scope decides how the claims are read (selectors.claims_in), so the exact
        # count differs by backend; the bound does not.
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("stats_quality"))
        self.assertLessEqual(len(queries), 21)
        self.assertContains(response, "MAPLE-BAD")
        self.assertContains(response, reverse("case_detail", args=[self.case.pk]))
        check = {c.key: c for c in response.context["checks"]}["decision_before_referral"]
        self.assertEqual(check.total, 1)
        entry = AuditEntry.objects.filter(action=Action.LIST, actor=self.owner).latest("seq")
        self.assertEqual(entry.changes["case_ids"], [self.case.pk])

    def test_outsider_sees_nothing_of_maple(self):
        self.login_as(self.outsider)
        for url in [reverse(name) for name in ROUTES] + [export_url(), export_url(fmt="xlsx")]:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            body = response.content.decode("utf-8", errors="replace") if url.endswith(("csv", "/")) else ""
            self.assertNotIn("MAPLE", body)
            self.assertNotIn("MSS-2026-001", body)
        rows = self.client.get(reverse("stats_outcomes")).context["reports"][0]["table"].rows
        self.assertEqual([(r["period"], r["referred"]) for r in rows], [("2023", 1)])

    def test_volunteer_sees_published_sources_but_no_haven_figures(self):
        self.login_as(self.volunteer)
        self.assertEqual(self.client.get(reverse("stats_outcomes")).status_code, 404)
        self.assertEqual(self.client.get(reverse("stats_quality")).status_code, 404)
        self.assertEqual(self.client.get(export_url()).status_code, 404)
        response = self.client.get(reverse("stats_published"))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["has_haven"])
        self.assertContains(response, "VICE News")

    def test_user_without_a_role_gets_404(self):
        """Issue 14: "not yours" is 404 on statistics pages too (they answered 403)."""
        from haven.testing.factories import UserFactory

        self.login_as(UserFactory(username="nobody@example.org"))
        for url in [reverse(name) for name in ROUTES] + [export_url()]:
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_exports_in_every_format(self):
        self.login_as(self.owner)
        csv_response = self.client.get(export_url(query="?by=quarter"))
        self.assertEqual(csv_response["Content-Type"], "text/csv; charset=utf-8")
        lines = csv_response.content.decode().splitlines()
        self.assertTrue(lines[0].startswith("Period,Referred,Accepted"))
        self.assertIn("2024-Q1,7,0,0,0,0,0,7,,,", lines)  # three empty rates: nothing finalized
        xlsx = self.client.get(export_url(fmt="xlsx"))
        sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
        self.assertEqual([c.value for c in sheet[2]][:3], ["2024", 8, 3])
        self.assertEqual(len(sheet._charts), 1)
        pdf = self.client.get(export_url(fmt="pdf"))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        data = self.client.get(export_url(fmt="json", query="?by=quarter")).json()
        self.assertEqual(data["figure"], "claim_outcomes")
        self.assertEqual([c["key"] for c in data["columns"]][-3:],
                         ["acceptance_rate", "recognition_rate", "rate_excluding_abandoned_withdrawn"])
        self.assertEqual(data["rows"][1], {"period": "2024-Q2", "referred": 1, "accepted": 3, "rejected": 1,
                                           "abandoned": 0, "withdrawn_other": 0, "finalized": 4, "pending": 4,
                                           "acceptance_rate": 0.75, "recognition_rate": 0.75,
                                           "rate_excluding_abandoned_withdrawn": 0.75})
        self.assertTrue(AuditEntry.objects.filter(action=Action.EXPORT, actor=self.owner,
                                                  summary="statistics claim_outcomes.pdf").exists())
        for key in ("claim_outcomes", "rad_outcomes", "decision_times", "published_comparison", "data_quality"):
            for fmt in ("csv", "xlsx", "pdf"):  # every report in every format (xlsx of the comparison failed)
                with self.subTest(key=key, fmt=fmt):
                    self.assertEqual(self.client.get(export_url(key=key, fmt=fmt)).status_code, 200)

    def test_rates_read_as_percentages_on_the_page_and_stay_fractions_in_csv_and_xlsx(self):
        self.login_as(self.owner)
        rate = next(row for row in self.client.get(export_url()).content.decode().splitlines()
                    if row.startswith("2024,")).rsplit(",", 1)[1]
        self.assertEqual(rate, "0.7500")  # 3 accepted of 4 decided
        self.assertContains(self.client.get(reverse("stats_outcomes")), "<td>75.0%</td>", html=True)
        self.assertContains(self.client.get(reverse("stats_outcomes"), HTTP_ACCEPT_LANGUAGE="fr"), "75,0\u202f%")
        sheet = load_workbook(io.BytesIO(self.client.get(export_url(fmt="xlsx")).content)).worksheets[0]
        header = [c.value for c in sheet[1]]
        cell = sheet.cell(row=2, column=header.index("Acceptance rate") + 1)
        self.assertEqual((cell.value, cell.number_format), (0.75, "0.0%"))

    def test_unknown_report_or_format_is_404(self):
        self.login_as(self.owner)
        self.assertEqual(self.client.get(export_url(key="nothing")).status_code, 404)
        self.assertEqual(self.client.get(export_url(fmt="docx")).status_code, 404)

    def test_published_page_flags_conflicts_and_shows_haven_beside_them(self):
        make_claim(case=self.case, referred="2014-03-01", reference="MAPLE-2014")
        self.login_as(self.owner)
        response = self.client.get(reverse("stats_published") + "?country=KP")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "conflicts between sources")
        conflicts = {(g.period_key, g.measure) for g in response.context["conflicts"]}
        self.assertIn(("2014", "referred"), conflicts)
        rows = response.context["reports"][0]["table"].rows
        row_2014 = [r for r in rows if r["period"] == "2014" and r["measure"] == "referred"]
        self.assertEqual({r["value"] for r in row_2014}, {"327", "618", "<5"})
        self.assertEqual({r["haven"] for r in row_2014}, {1})
        self.assertTrue(all(r["conflict"] for r in row_2014))

    def test_analyst_published_page_shows_haven_suppressed(self):
        make_claim(case=self.case, referred="2014-03-01", reference="MAPLE-2014")
        self.login_as(self.analyst)
        response = self.client.get(reverse("stats_published") + "?country=KP")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["has_haven"])
        rows = response.context["reports"][0]["table"].rows
        self.assertEqual({r["haven"] for r in rows if r["period"] == "2014" and r["measure"] == "referred"}, {"--"})
        self.assertNotContains(response, "MAPLE-2014")

    @override_settings(HAVEN_STATS_SUPPRESS_BELOW=10)
    def test_threshold_setting_applies_to_pages(self):
        self.login_as(self.analyst)
        row = self.client.get(reverse("stats_outcomes")).context["reports"][0]["table"].rows[0]
        self.assertEqual(row["referred"], "--")

    def test_page_has_no_inline_script_or_style(self):
        self.login_as(self.owner)
        body = self.client.get(reverse("stats_outcomes")).content.decode()
        self.assertNotIn("<script>", body)
        self.assertNotIn(" style=", body)
