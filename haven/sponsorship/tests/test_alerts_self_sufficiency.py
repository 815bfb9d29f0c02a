"""The sponsorship end-of-period alerts say whether the family is self-sufficient (issue 13: "a self-sufficiency
indicator ... used by the sponsorship end-of-period alerts"), by haven.settlement's rule, with time frozen."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import time_machine
from django.core.management import call_command
from django.urls import reverse

from haven.settlement import services as settlement
from haven.sponsorship import plans
from haven.sponsorship.models import SupportAlert
from haven.sponsorship.testing import maple_application
from haven.testing.personas import PersonaTestCase

CORE = ("sin", "health_card", "bank_account", "lease_signed", "first_job")


def frozen(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc), tick=False)


class AlertSelfSufficiencyTests(PersonaTestCase):
    def setUp(self):
        # Support from 2025-01-15: the period ends on 2026-01-15.
        plans.update_plan(actor=self.owner, plan=maple_application(self).plan, family_size=2,
                          support_starts_on=dt.date(2025, 1, 15))

    def run_alerts(self) -> str:
        out = io.StringIO()
        call_command("sponsorship_alerts", stdout=out)
        return out.getvalue()

    def pipeline(self) -> str:
        self.login_as(self.owner)
        return self.client.get(reverse("sponsorship:pipeline")).content.decode()

    def become_self_sufficient(self):
        for month in (dt.date(2025, 9, 1), dt.date(2025, 10, 1), dt.date(2025, 11, 1)):
            settlement.record_monthly_budget(actor=self.owner, case=self.case, month=month, income=Decimal("2600"),
                                             needs=Decimal("2400"))
        for kind in CORE:
            settlement.record_milestone(actor=self.owner, case=self.case, kind=kind, done_on=dt.date(2025, 8, 1))

    def test_the_alert_and_the_pipeline_say_not_yet_then_self_sufficient(self):
        with frozen(dt.date(2025, 11, 16)):
            self.assertIn("(60-day alert), not yet self-sufficient", self.run_alerts())
            page = self.pipeline()
            self.assertIn("Sponsorship periods ending soon", page)
            self.assertIn("not yet", page)
            self.assertNotIn(">self-sufficient<", page)
        with frozen(dt.date(2025, 12, 16)):
            self.become_self_sufficient()
            self.assertIn("(30-day alert), self-sufficient", self.run_alerts())
            self.assertIn(">self-sufficient<", self.pipeline())
        self.assertEqual(list(SupportAlert.objects.order_by("days_before").values_list("days_before",
                                                                                      "self_sufficient")),
                         [(30, True), (60, False)])

    def test_the_service_records_the_indicator_on_the_alert_row(self):
        with frozen(dt.date(2025, 12, 16)):
            self.become_self_sufficient()
            [alert] = plans.raise_due_alerts()
        self.assertEqual((alert.days_before, alert.self_sufficient), (30, True))
