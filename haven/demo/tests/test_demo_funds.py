"""The demo's money (haven.demo.funds): the pilot's $250,000 campaign with gifts and receipts, and a ledger that
balances, so each demo role has real work to see."""
from __future__ import annotations

from decimal import Decimal

from django.test import TestCase, override_settings

from haven.accounts.models import Organization
from haven.demo.services import load_demo
from haven.funds import ledger
from haven.funds.models import Campaign, Disbursement, Receipt, TrustAccount
from haven.funds.reports import campaign_progress
from haven.sponsorship.models import SettlementPlan
from haven.sponsorship.plans import plan_budget


class DemoFundsTests(TestCase):
    @override_settings(DEBUG=True)
    def test_the_pilot_campaign_gifts_receipts_and_support_schedule(self):
        load_demo()
        sah = Organization.objects.get(kind="sponsorship")
        campaign = Campaign.objects.get(organization=sah)
        self.assertEqual(campaign.goal, Decimal("250000.00"))
        progress = campaign_progress([campaign])[0]
        self.assertTrue(0 < progress.raised < campaign.goal)
        numbers = sorted(Receipt.objects.filter(organization=sah).values_list("number", flat=True))
        self.assertEqual(numbers, list(range(1, len(numbers) + 1)))
        self.assertGreater(len(numbers), 30)
        statuses = list(Disbursement.objects.values_list("status", flat=True))
        # The arrived family's months come from its settlement plan (extended to 18 months by a second user).
        self.assertEqual((statuses.count("paid"), statuses.count("approved"), statuses.count("planned")), (3, 1, 14))
        plan = SettlementPlan.objects.get(application__case__organization=sah, application__stage="arrived")
        months = Disbursement.objects.filter(fund__case=plan.application.case).order_by("month")
        self.assertEqual([(d.due_on, d.amount) for d in months],
                         ledger.schedule_from_settlement_plan(plan.application.case))
        self.assertEqual([d.amount for d in months], list(plan_budget(plan).schedule))
        self.assertEqual(months[0].due_on, plan.support_starts_on)
        self.assertEqual(sum(d.amount for d in months), plan_budget(plan).income_support)
        for trust in TrustAccount.objects.all():
            totals, _families = ledger.recomputed(trust)
            self.assertEqual((totals.received, totals.allocated), (trust.received, trust.allocated))
            self.assertLessEqual(trust.allocated, trust.received)
