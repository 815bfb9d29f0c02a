"""The demo's arrived family: a baseline and a follow-up assessment, a plan, milestones partly done."""
from __future__ import annotations

from django.test import TestCase

from haven.demo.services import load_demo
from haven.settlement import selectors
from haven.settlement.models import Assessment, Milestone


class DemoSettlementTests(TestCase):
    def test_an_arrived_family_has_its_settlement_plan(self):
        load_demo()
        assessment = Assessment.objects.order_by("assessed_on").first()
        case = assessment.case
        kinds = list(case.assessments.order_by("assessed_on").values_list("kind", flat=True))
        self.assertEqual(kinds, ["baseline", "follow_up"])
        self.assertGreaterEqual(case.settlement_goals.count(), 3)
        self.assertGreaterEqual(case.referrals.count(), 4)
        done = set(case.milestones.values_list("kind", flat=True))
        self.assertIn(Milestone.Kind.ARRIVAL, done)
        self.assertNotIn(Milestone.Kind.FIRST_JOB, done)
        indicator = selectors.self_sufficiency(case)
        self.assertEqual(indicator.covered_months, 2)
        self.assertFalse(indicator.reached)
        self.assertTrue(case.designated_workers.exists())
