"""Milestone, assessment, referral and self-sufficiency rules (docs/settlement.md)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.settlement import selectors, services
from haven.settlement.models import Milestone
from haven.settlement.selectors import covered_streak
from haven.settlement.testing import maple_settlement
from haven.testing.personas import PersonaTestCase

CORE = ("sin", "health_card", "bank_account", "lease_signed", "first_job")


class StreakTests(PersonaTestCase):
    def test_consecutive_months_ending_at_the_latest(self):
        d = dt.date
        entries = [(d(2025, 1, 1), Decimal(900), Decimal(1000)), (d(2025, 2, 1), Decimal(1000), Decimal(1000)),
                   (d(2025, 3, 1), Decimal(1500), Decimal(1000)), (d(2025, 4, 1), Decimal(1200), Decimal(1000))]
        self.assertEqual(covered_streak(entries), 3)

    def test_a_gap_or_a_shortfall_breaks_the_run(self):
        d = dt.date
        gap = [(d(2025, 1, 1), Decimal(2000), Decimal(1000)), (d(2025, 3, 1), Decimal(2000), Decimal(1000))]
        self.assertEqual(covered_streak(gap), 1)
        short = [(d(2025, 1, 1), Decimal(2000), Decimal(1000)), (d(2025, 2, 1), Decimal(999), Decimal(1000))]
        self.assertEqual(covered_streak(short), 0)

    def test_december_to_january_is_consecutive(self):
        d = dt.date
        entries = [(d(2024, 12, 1), Decimal(1), Decimal(1)), (d(2025, 1, 1), Decimal(1), Decimal(1))]
        self.assertEqual(covered_streak(entries), 2)


class IndicatorTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        maple_settlement(cls)

    def cover_three_months(self):
        for month in (dt.date(2025, 5, 1), dt.date(2025, 6, 1), dt.date(2025, 7, 1)):
            services.record_monthly_budget(actor=self.owner, case=self.case, month=month, income=Decimal("2600"),
                                           needs=Decimal("2400"))

    def test_income_alone_is_not_enough(self):
        self.cover_three_months()
        result = selectors.self_sufficiency(self.case)
        self.assertEqual(result.covered_months, 3)
        self.assertFalse(result.reached)
        self.assertEqual(len(result.missing_milestones), len(CORE))

    def test_milestones_alone_are_not_enough(self):
        for kind in CORE:
            services.record_milestone(actor=self.owner, case=self.case, kind=kind, done_on=dt.date(2025, 3, 1))
        result = selectors.self_sufficiency(self.case)
        self.assertEqual(result.missing_milestones, [])
        self.assertFalse(result.reached)  # April: income 1200 against needs 2400

    def test_both_reach_self_sufficiency(self):
        self.cover_three_months()
        for kind in CORE:
            services.record_milestone(actor=self.owner, case=self.case, kind=kind, done_on=dt.date(2025, 3, 1))
        result = selectors.self_sufficiency(self.case)
        self.assertTrue(result.reached)
        self.assertIn("3", result.explanation)

    def test_a_cleared_milestone_no_longer_counts(self):
        self.cover_three_months()
        for kind in CORE:
            services.record_milestone(actor=self.owner, case=self.case, kind=kind, done_on=dt.date(2025, 3, 1))
        services.clear_milestone(actor=self.owner, milestone=self.case.milestones.get(kind="first_job"))
        self.assertFalse(selectors.self_sufficiency(self.case).reached)


class MilestoneRuleTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        maple_settlement(cls)

    def test_no_future_date(self):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        with self.assertRaises(ValidationError) as raised:
            services.record_milestone(actor=self.owner, case=self.case, kind="sin", done_on=tomorrow)
        self.assertIn("done_on", raised.exception.message_dict)

    def test_not_before_arrival(self):
        with self.assertRaises(ValidationError):
            services.record_milestone(actor=self.owner, case=self.case, kind="sin", done_on=dt.date(2025, 1, 1))

    def test_recording_again_corrects_the_date(self):
        services.record_milestone(actor=self.owner, case=self.case, kind="sin", done_on=dt.date(2025, 3, 1))
        services.record_milestone(actor=self.owner, case=self.case, kind="sin", done_on=dt.date(2025, 3, 4))
        self.assertEqual(list(self.case.milestones.filter(kind="sin").values_list("done_on", flat=True)),
                         [dt.date(2025, 3, 4)])

    def test_rows_show_done_and_not_done_in_order(self):
        rows = selectors.milestone_rows(self.case)
        self.assertEqual([row.kind for row in rows], list(Milestone.Kind.values))
        self.assertEqual(rows[0].done_on, dt.date(2025, 2, 20))
        self.assertIsNone(rows[1].done_on)


class ServiceRuleTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        maple_settlement(cls)

    def test_clb_only_on_language_and_within_1_to_12(self):
        for rating in ({"domain": "housing", "level": 3, "clb_reading": 4},
                       {"domain": "language", "level": 3, "clb_reading": 13}):
            with self.subTest(rating=rating), self.assertRaises(ValidationError):
                services.record_assessment(actor=self.owner, case=self.case, assessed_on=dt.date(2025, 5, 1),
                                           ratings=[rating])

    def test_assessment_dates_are_past(self):
        with self.assertRaises(ValidationError) as raised:
            services.record_assessment(actor=self.owner, case=self.case,
                                       assessed_on=timezone.localdate() + dt.timedelta(days=2),
                                       ratings=[{"domain": "housing", "level": 3}])
        self.assertIn("assessed_on", raised.exception.message_dict)

    def test_person_must_belong_to_the_household(self):
        with self.assertRaises(ValidationError):
            services.add_goal(actor=self.owner, case=self.case, domain="housing", description="x",
                              person=self.other_person)

    def test_referral_to_another_organizations_provider_is_refused(self):
        other = services.add_provider(actor=self.outsider, organization=self.clinic, name="Clinic counselling",
                                      kind="trauma_counselling")
        with self.assertRaises(ValidationError) as raised:
            services.refer(actor=self.owner, case=self.case, provider=other, domain="mental_health",
                           referred_on=dt.date(2025, 4, 1))
        self.assertIn("provider", raised.exception.message_dict)

    def test_referral_status_cannot_predate_the_referral(self):
        with self.assertRaises(ValidationError):
            services.update_referral_status(actor=self.owner, referral=self.referral, status="attending",
                                            changed_on=dt.date(2025, 3, 1))

    def test_achieved_goal_needs_its_date(self):
        with self.assertRaises(ValidationError) as raised:
            services.update_goal(actor=self.owner, goal=self.goal, status="achieved")
        self.assertIn("achieved_on", raised.exception.message_dict)

    def test_one_budget_entry_per_month(self):
        with self.assertRaises(ValidationError):
            services.record_monthly_budget(actor=self.owner, case=self.case, month=dt.date(2025, 4, 15),
                                           income=Decimal(1), needs=Decimal(1))

    def test_api_answers_a_service_refusal_with_400(self):
        self.login_as(self.owner)
        response = self.client.post("/api/v1/milestones/", {"case": self.case.pk, "kind": "sin",
                                                             "done_on": "2025-01-01"}, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("done_on", response.json())
