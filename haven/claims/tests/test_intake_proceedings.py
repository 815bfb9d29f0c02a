"""Issue 12, intake merged with proceedings: an ineligibility decision is reviewed by the Federal Court (IRPA s.72;
no appeal lies from it), its notice starts the leave deadline as the other decisions no appeal can follow do
(events.NOTICE_STARTS_LEAVE), and the claimant's removal order comes into force under IRPA s.49(2)(a) or (b)."""
from __future__ import annotations

import datetime as dt

from haven.claims.forms import EventForm
from haven.claims.models import EventType, Ineligibility
from haven.claims.tests.test_intake import IntakeTestCase

D = dt.date


class IneligibilityReviewTests(IntakeTestCase):
    def test_irpa_72_2_b_the_notice_of_ineligibility_starts_the_15_days_to_seek_leave(self):
        # Found ineligible Mon 3 Mar 2025, notice received Wed 5 Mar: 15 days -> Thu 20 Mar 2025.
        self.step(EventType.INELIGIBLE, D(2025, 3, 3), received_on=D(2025, 3, 5),
                  ineligibility=Ineligibility.ONE_YEAR)
        self.assertEqual(self.deadlines()["fc_leave_due"], (D(2025, 3, 20), None))
        self.assertNotIn("prra_bar_ends", self.deadlines())  # the Board never decided the claim (s.112(2)(b.1))
        self.step(EventType.FC_LEAVE_FILED, D(2025, 3, 19))
        self.assertEqual(self.deadlines()["fc_leave_due"], (D(2025, 3, 20), D(2025, 3, 19)))

    def test_irpa_72_judicial_review_allowed_sends_the_claim_back_for_a_new_eligibility_decision(self):
        self.step(EventType.INELIGIBLE, D(2025, 3, 3), ineligibility=Ineligibility.ONE_YEAR)
        self.step(EventType.FC_LEAVE_FILED, D(2025, 3, 10))
        self.step(EventType.FC_LEAVE_GRANTED, D(2025, 5, 1))
        self.step(EventType.JR_ALLOWED, D(2025, 8, 1))
        self.step(EventType.ELIGIBLE, D(2025, 9, 1))
        self.step(EventType.REFERRAL, D(2025, 9, 2))

    def test_a_leave_application_needs_a_decision_to_review(self):
        self.refused("no decision for the Federal Court to review", EventType.FC_LEAVE_FILED, D(2025, 3, 10))

    def test_irpa_49_2_b_removal_order_in_force_seven_days_after_an_ineligibility(self):
        self.step(EventType.INELIGIBLE, D(2025, 3, 3), ineligibility=Ineligibility.ONE_YEAR)
        self.refused("2025-03-10", EventType.REMOVAL_ORDER, D(2025, 3, 9), order_kind="departure")
        self.step(EventType.REMOVAL_ORDER, D(2025, 3, 10), order_kind="departure")

    def test_irpa_49_2_a_removal_order_in_force_the_same_day_under_101_1_e(self):
        self.step(EventType.INELIGIBLE, D(2025, 3, 3), ineligibility=Ineligibility.SAFE_THIRD_COUNTRY)
        self.step(EventType.REMOVAL_ORDER, D(2025, 3, 3), order_kind="departure")

    def test_the_paragraph_is_a_detail_of_the_ineligibility_step_only(self):
        self.assertIn("ineligibility", EventForm(step_type=EventType.INELIGIBLE).fields)
        self.assertNotIn("ineligibility", EventForm(step_type=EventType.REFERRAL).fields)
        self.refused("does not apply to the step", EventType.ELIGIBLE, D(2025, 3, 3),
                     ineligibility=Ineligibility.ONE_YEAR)
