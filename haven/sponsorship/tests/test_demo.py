"""The sponsorship organization's demo: five families at different stages, one arrived and in month 4 of support,
one in Thailand waiting for its interview, each with a plan whose schedule sums to its income support."""
from __future__ import annotations

from django.test import TestCase, override_settings
from django.utils import timezone

from haven.demo.services import SAH, load_demo
from haven.sponsorship import plans, selectors
from haven.sponsorship.models import SponsorshipApplication, Stage


class SponsorshipDemoTests(TestCase):
    @override_settings(DEBUG=True)
    def test_five_families_at_different_stages(self):
        result = load_demo()
        self.assertEqual(result.sponsorship_applications, 5)
        self.assertNotIn("HanVoice", SAH[0])
        applications = list(SponsorshipApplication.objects.select_related("plan"))
        self.assertEqual(len({app.stage for app in applications}), 5)
        arrived = next(app for app in applications if app.stage == Stage.ARRIVED)
        self.assertEqual(selectors.support_month(arrived.plan, timezone.localdate()), 4)
        self.assertEqual(arrived.plan.months, 18)  # the extension approved by a second user
        waiting = next(app for app in applications if app.stage == Stage.IN_ASSESSMENT)
        self.assertEqual(waiting.transit_country, "TH")  # in Thailand, the interview next
        for app in applications:
            budget = plans.plan_budget(app.plan)
            self.assertEqual(sum(budget.schedule), budget.income_support)
