"""Pages: the pipeline's query count does not grow with the applications (at most 15), the volunteer sees their
family's stage, budget and schedule read-only, the PDF renders, refused steps show their message."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from haven.sponsorship.models import Program, SponsorshipApplication, Stage
from haven.sponsorship.testing import maple_application
from haven.testing.factories import CaseFactory, HouseholdFactory
from haven.testing.personas import PersonaTestCase

PIPELINE_QUERY_LIMIT = 15


def add_applications(org, group, count: int, start: int) -> None:
    program = Program.objects.get(code="PSR")
    stages = list(Stage.values)
    for index in range(start, start + count):
        case = CaseFactory(household=HouseholdFactory(organization=org, reference=f"BULK-HH-{index}"),
                           organization=org, reference=f"BULK-{index:04d}", sponsor_group=group)
        SponsorshipApplication.objects.create(
            organization=org, case=case, sponsor_group=group, program=program, transit_country="TH",
            stage=stages[index % len(stages)], stage_since=dt.date(2024, 1, 1), started_on=dt.date(2023, 1, 1),
            submitted_on=dt.date(2023, 3, 1), arrived_on=dt.date(2025, 3, 1) if index % 11 == 10 else None,
            priority=index % 5 == 0, priority_reason="SGBV survivor" if index % 5 == 0 else "")


class PipelineTests(PersonaTestCase):
    def count_queries(self) -> int:
        self.login_as(self.owner)
        self.client.get(reverse("sponsorship:pipeline"))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("sponsorship:pipeline"))
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_query_count_does_not_grow_with_the_applications(self):
        maple_application(self)
        add_applications(self.org, self.group_b, 5, 0)
        small = self.count_queries()
        add_applications(self.org, self.group_b, 60, 5)
        large = self.count_queries()
        self.assertEqual(small, large)
        self.assertLessEqual(large, PIPELINE_QUERY_LIMIT)

    def test_priority_first_and_published_comparison(self):
        maple_application(self)
        add_applications(self.org, self.group_b, 3, 1)
        self.login_as(self.owner)
        body = self.client.get(reverse("sponsorship:pipeline")).content.decode()
        self.assertLess(body.index("MSS-2026-001"), body.index("BULK-0001"))  # Maple's is a priority
        self.assertIn("about three years to process North Korean refugees from Thailand", body)
        self.assertIn("Jack Kim (CanKor)", body)

    def test_analyst_sees_figures_only(self):
        maple_application(self)
        self.login_as(self.analyst)
        body = self.client.get(reverse("sponsorship:pipeline")).content.decode()
        self.assertNotIn("MSS-2026-001", body)
        self.assertIn('data-stage="undertaking_signed"><td>Undertaking signed (IMM 5373)</td><td>1</td>', body)


class ApplicationPageTests(PersonaTestCase):
    def setUp(self):
        self.app = maple_application(self)
        self.url = reverse("sponsorship:application_detail", args=[self.app.pk])

    def test_volunteer_sees_stage_budget_and_schedule_read_only(self):
        self.login_as(self.volunteer)
        body = self.client.get(self.url).content.decode()
        self.assertIn("Undertaking signed (IMM 5373)", body)
        self.assertIn('id="schedule"', body)
        self.assertIn("1641.66", body)  # 19700 / 12, rounded down to the cent
        self.assertNotIn(reverse("sponsorship:step_add", args=[self.app.pk]), body)
        self.assertNotIn("Eligibility (decision support", body)

    def test_other_group_gets_404(self):
        self.login_as(self.other_volunteer)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.get(reverse("sponsorship:plan_pdf", args=[self.app.pk])).status_code, 404)

    def test_refused_step_shows_its_message(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("sponsorship:step_add", args=[self.app.pk]),
                                    {"stage": "submitted", "occurred_on": "2024-06-01"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("more than 90 days", response.content.decode())

    def test_plan_pdf_renders_hangul_names(self):
        self.login_as(self.volunteer)
        response = self.client.get(reverse("sponsorship:plan_pdf", args=[self.app.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
        self.assertIn("명철", text)
