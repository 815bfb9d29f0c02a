"""Proceedings and timing, one test per provision (docs/deadline-rules.md cites each one).

Dates are hand-computed: Interpretation Act s.27(2) (the day of the event is not counted), s.26 (a period ending on a
holiday ends on the next day that is not one), Ontario holidays. Every date is in the past of the organisation's
today, so no test depends on the clock.
"""
from __future__ import annotations

import datetime as dt

from haven.claims import services
from haven.claims.deadlines import load_rules
from haven.claims.events import removal_stays
from haven.claims.models import Claim, Deadline, DeadlineRule, EventType
from haven.claims.planning import merged_periods, suspended_due
from haven.claims.tests.test_lifecycle import ClaimTestCase

D = dt.date
E = EventType


class RadBarTests(ClaimTestCase):
    def flag(self, **facts):
        Claim.objects.filter(pk=self.claim.pk).update(**facts)
        self.claim.refresh_from_db()

    def test_irpa_110_2_a_designated_foreign_national_claim_cannot_appeal_to_rad(self):
        self.flag(designated_foreign_national=True)
        self.rejected(decided=D(2024, 6, 3), reasons=D(2024, 6, 10))
        self.refused("designated foreign national (IRPA s.110(2)(a))", E.RAD_APPEAL_FILED, D(2024, 6, 12),
                     appellant="claimant")
        due = self.deadlines()
        self.assertNotIn("rad_notice_due", due)
        self.assertEqual(due["fc_leave_due"], D(2024, 6, 25))  # 10 June + 15 days, a Tuesday (IRPA s.72(2)(b))

    def test_irpa_110_2_a_bars_the_ministers_appeal_too(self):
        self.flag(designated_foreign_national=True)
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.DECISION_ACCEPTED, D(2024, 6, 3), received_on=D(2024, 6, 4))
        self.refused("IRPA s.110(2)(a)", E.RAD_APPEAL_FILED, D(2024, 6, 12), appellant="minister")

    def test_irpr_159_91_1_a_a_positive_decision_starts_the_ministers_period_not_the_claimants(self):
        # Only the Minister may appeal a decision allowing a claim (IRPA s.110(1)). Reasons received Tue 4 June
        # 2024: 15 days -> Wed 19 June, the Minister's to meet; the claimant has no notice or record to file.
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.DECISION_ACCEPTED, D(2024, 6, 3), received_on=D(2024, 6, 4))
        due = self.deadlines()
        self.assertEqual(due["rad_minister_notice_due"], D(2024, 6, 19))
        self.assertNotIn("rad_notice_due", due)
        self.assertNotIn("rad_record_due", due)
        row = Deadline.objects.get(claim=self.claim, key="rad_minister_notice_due")
        self.assertEqual(row.rule.responsible, DeadlineRule.Responsible.MINISTER)
        self.refused("only the Minister may appeal", E.RAD_APPEAL_FILED, D(2024, 6, 12), appellant="claimant")
        self.step(E.RAD_APPEAL_FILED, D(2024, 6, 12), appellant="minister")
        row.refresh_from_db()
        self.assertEqual(row.completed_on, D(2024, 6, 12))

    def test_irpa_110_2_b_withdrawn_claim_cannot_appeal_to_rad(self):
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.WITHDRAWAL, D(2024, 3, 1))
        self.refused("withdrawn or abandoned (IRPA s.110(2)(b))", E.RAD_APPEAL_FILED, D(2024, 3, 5),
                     appellant="claimant")

    def test_irpa_110_2_c_manifestly_unfounded_claim_cannot_appeal_to_rad(self):
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.DECISION_MU, D(2024, 6, 3), received_on=D(2024, 6, 5))
        self.refused("manifestly unfounded (IRPA s.110(2)(c))", E.RAD_APPEAL_FILED, D(2024, 6, 10),
                     appellant="claimant")

    def test_irpa_110_2_d_stca_exception_claim_cannot_appeal_to_rad(self):
        self.flag(stca_exception=True)
        self.rejected(decided=D(2024, 6, 3), reasons=D(2024, 6, 10))
        self.refused("Safe Third Country Agreement (IRPA s.110(2)(d))", E.RAD_APPEAL_FILED, D(2024, 6, 12),
                     appellant="claimant")
        self.assertEqual(self.deadlines()["fc_leave_due"], D(2024, 6, 25))
        self.step(E.FC_LEAVE_FILED, D(2024, 6, 20))  # straight to the Federal Court: no RAD to exhaust first

    def test_irpa_110_2_e_cessation_decision_cannot_appeal_to_rad(self):
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.DECISION_ACCEPTED, D(2024, 6, 3), received_on=D(2024, 6, 4))
        self.step(E.CESSATION, D(2025, 1, 6))
        self.refused("application to cease refugee protection (IRPA s.110(2)(e))", E.RAD_APPEAL_FILED,
                     D(2025, 1, 10), appellant="claimant")

    def test_setting_a_rad_bar_after_an_appeal_is_refused_and_otherwise_moves_the_deadlines(self):
        self.rejected(decided=D(2024, 6, 3), reasons=D(2024, 6, 10))
        services.update_claim(actor=self.owner, claim=self.claim, designated_foreign_national=True)
        due = self.deadlines()
        self.assertEqual((due["fc_leave_due"], "rad_notice_due" in due), (D(2024, 6, 25), False))
        services.update_claim(actor=self.owner, claim=self.claim, designated_foreign_national=False)
        self.step(E.RAD_APPEAL_FILED, D(2024, 6, 20), appellant="claimant")
        with self.assertRaisesMessage(Exception, "IRPA s.110(2)(d)"):
            services.update_claim(actor=self.owner, claim=self.claim, stca_exception=True)
        self.claim.refresh_from_db()
        self.assertFalse(self.claim.stca_exception)


class LeaveDeadlineTests(ClaimTestCase):
    """IRPA s.72(2)(b): 15 days after notice of a decision that cannot go to the RAD."""

    def test_irpa_72_2_b_leave_deadline_after_abandonment(self):
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.ABANDONMENT, D(2024, 3, 1))
        self.assertEqual(self.deadlines()["fc_leave_due"], D(2024, 3, 18))  # 16 March is a Saturday
        self.step(E.FC_LEAVE_FILED, D(2024, 3, 12))

    def test_irpa_72_2_b_leave_deadline_after_vacation_and_cessation(self):
        for kind, decided, due in ((E.VACATION, D(2025, 1, 6), D(2025, 1, 21)),
                                   (E.CESSATION, D(2025, 3, 28), D(2025, 4, 14))):  # 12 April is a Saturday
            with self.subTest(kind=kind):
                self.claim.events.all().delete()
                self.step(E.REFERRAL, D(2024, 1, 8))
                self.step(E.DECISION_ACCEPTED, D(2024, 6, 3), received_on=D(2024, 6, 4))
                self.step(kind, decided)
                self.assertEqual(self.deadlines()["fc_leave_due"], due)

    def test_irpa_72_2_b_leave_deadline_after_ineligibility_or_termination(self):
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.OTHER_DISPOSITION, D(2024, 5, 1), received_on=D(2024, 5, 3))
        self.assertEqual(self.deadlines()["fc_leave_due"], D(2024, 5, 21))  # 18 May Sat, 20 May Victoria Day
        self.step(E.FC_LEAVE_FILED, D(2024, 5, 10))


class PrraBarTests(ClaimTestCase):
    def test_irpa_112_2_b1_cessation_starts_the_12_month_prra_bar(self):
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.DECISION_ACCEPTED, D(2024, 6, 3), received_on=D(2024, 6, 4))
        self.step(E.CESSATION, D(2025, 1, 6))
        self.assertEqual(self.deadlines()["prra_bar_ends"], D(2026, 1, 6))

    def test_irpa_112_2_b1_vacation_starts_no_prra_bar(self):
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.DECISION_ACCEPTED, D(2024, 6, 3), received_on=D(2024, 6, 4))
        self.step(E.VACATION, D(2025, 1, 6))
        self.assertNotIn("prra_bar_ends", self.deadlines())

    def test_irpa_112_2_b1_ii_c_federal_court_refusal_restarts_the_bar(self):
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.DECISION_NCB, D(2024, 6, 3), received_on=D(2024, 6, 10))
        self.assertEqual(self.deadlines()["prra_bar_ends"], D(2025, 6, 3))
        self.step(E.FC_LEAVE_FILED, D(2024, 6, 20))
        self.step(E.FC_LEAVE_REFUSED, D(2024, 9, 16))
        self.assertEqual(self.deadlines()["prra_bar_ends"], D(2025, 9, 16))
        self.step(E.REMOVAL_ORDER, D(2024, 9, 20), order_kind="deportation")
        self.step(E.PRRA_NOTIFICATION, D(2025, 6, 10))
        self.refused("bar runs until 2025-09-16", E.PRRA_APPLIED, D(2025, 6, 15))

    def test_refugee_convention_1a2_other_nationality_rejection_starts_the_bar_unlike_article_1e(self):
        self.rejected(decided=D(2024, 6, 3), reasons=D(2024, 6, 10), ground="other_nationality")
        self.assertEqual(self.deadlines()["prra_bar_ends"], D(2025, 6, 3))

    def test_irpa_112_2_1_exempted_country_may_apply_inside_the_bar(self):
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.DECISION_NCB, D(2024, 6, 3), received_on=D(2024, 6, 10))
        self.step(E.REMOVAL_ORDER, D(2024, 7, 2), order_kind="deportation")
        self.step(E.PRRA_NOTIFICATION, D(2024, 8, 1))
        self.refused("IRPA s.112(2.1)", E.PRRA_APPLIED, D(2024, 8, 5))
        self.assertTrue(self.step(E.PRRA_APPLIED, D(2024, 8, 5), bar_exempt=True).bar_exempt)


class RemovalOrderInForceTests(ClaimTestCase):
    """IRPA s.49(2): a claimant's removal order is conditional and comes into force only as the paragraph says."""

    def test_irpa_49_2_c_no_appeal_in_force_15_days_after_notice(self):
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.DECISION_NCB, D(2024, 6, 3), received_on=D(2024, 6, 10))
        self.refused("comes into force only on 2024-06-25 (IRPA s.49(2)(c))", E.REMOVAL_ORDER, D(2024, 6, 24),
                     order_kind="deportation")
        self.step(E.REMOVAL_ORDER, D(2024, 6, 25), order_kind="deportation")

    def test_irpa_49_2_e_after_the_rad_15_days_after_its_notice(self):
        self.rejected(decided=D(2024, 6, 3), reasons=D(2024, 6, 10))
        self.step(E.RAD_APPEAL_FILED, D(2024, 6, 20), appellant="claimant")
        self.step(E.RAD_CONFIRMED, D(2024, 10, 1), received_on=D(2024, 10, 3))
        self.refused("2024-10-18 (IRPA s.49(2)(e))", E.REMOVAL_ORDER, D(2024, 10, 17), order_kind="deportation")

    def test_irpa_49_2_g_abandonment_15_days_after_notice(self):
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.ABANDONMENT, D(2024, 3, 1))
        self.refused("2024-03-16 (IRPA s.49(2)(g))", E.REMOVAL_ORDER, D(2024, 3, 15), order_kind="departure")
        self.step(E.REMOVAL_ORDER, D(2024, 3, 16), order_kind="departure")

    def test_irpa_49_2_f_withdrawal_same_day_since_c12_and_15_days_before(self):
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.WITHDRAWAL, D(2025, 4, 1))
        self.refused("2025-04-16 (IRPA s.49(2)(d) as it read before 26 March 2026)", E.REMOVAL_ORDER, D(2025, 4, 10),
                     order_kind="departure")
        self.claim.events.all().delete()
        self.step(E.REFERRAL, D(2025, 10, 6))
        self.step(E.WITHDRAWAL, D(2026, 4, 1))
        self.step(E.REMOVAL_ORDER, D(2026, 4, 1), order_kind="departure")


class PrraStayTests(ClaimTestCase):
    """IRPR s.232: removal is stayed from the PRRA notification through the time to apply, and until the decision on
    an application made in time."""

    def setUp(self):
        super().setUp()
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.DECISION_NCB, D(2024, 6, 3), received_on=D(2024, 6, 10))
        self.step(E.REMOVAL_ORDER, D(2024, 6, 25), order_kind="departure")
        self.step(E.PRRA_NOTIFICATION, D(2024, 7, 2))  # the time to apply ends 17 July

    def test_irpr_232_b_removal_stayed_through_the_application_period(self):
        self.refused("until the time to apply ends on 2024-07-17 (IRPR s.232(b))", E.REMOVAL, D(2024, 7, 17),
                     destination_country="KR")

    def test_irpr_232_c_timely_application_stays_removal_until_decided(self):
        self.step(E.PRRA_APPLIED, D(2024, 7, 10), bar_exempt=True)  # inside the 12-month bar
        self.refused("IRPR s.232(c)", E.REMOVAL, D(2024, 8, 1), destination_country="KR")

    def test_irpr_232_late_application_gives_no_stay(self):
        self.step(E.PRRA_APPLIED, D(2024, 7, 20), bar_exempt=True)
        self.assertEqual(self.step(E.REMOVAL, D(2024, 7, 25), destination_country="KR").type, E.REMOVAL)


class DepartureOrderTests(ClaimTestCase):
    """IRPR s.224(2)-(3): 30 days from when the departure order becomes enforceable, suspended during a stay."""

    def setUp(self):
        super().setUp()
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.DECISION_NCB, D(2024, 6, 3), received_on=D(2024, 6, 10))
        self.step(E.REMOVAL_ORDER, D(2024, 6, 25), order_kind="departure")

    def test_irpr_224_2_thirty_days_from_enforceable(self):
        self.assertEqual(self.deadlines()["departure_due"], D(2024, 7, 25))

    def test_irpr_224_3_prra_stay_suspends_the_thirty_days(self):
        # Stayed 2-17 July (16 days): 6 days counted (26 June-1 July), 24 more from 18 July end on Saturday 10 Aug.
        self.step(E.PRRA_NOTIFICATION, D(2024, 7, 2))
        self.assertEqual(self.deadlines()["departure_due"], D(2024, 8, 12))

    def test_irpr_224_3_no_date_while_the_stay_lasts_then_the_rest_of_the_period(self):
        self.step(E.PRRA_NOTIFICATION, D(2024, 7, 2))
        self.step(E.PRRA_APPLIED, D(2024, 7, 10), bar_exempt=True)  # inside the 12-month bar
        self.assertNotIn("departure_due", self.deadlines())
        self.step(E.PRRA_REFUSED, D(2024, 9, 3))
        # 6 days before the stay; the other 24 run from 3 September, the day it ended: 26 September.
        self.assertEqual(self.deadlines()["departure_due"], D(2024, 9, 26))

    def test_overlapping_stays_are_counted_once(self):
        rules = load_rules()
        rule = next(r for r in rules.rules if r.key == "departure_due")
        stays = [(D(2024, 7, 2), D(2024, 7, 18)), (D(2024, 7, 10), D(2024, 7, 12))]
        self.assertEqual(merged_periods(stays), [(D(2024, 7, 2), D(2024, 7, 18))])
        self.assertEqual(suspended_due(rules, rule, D(2024, 6, 25), stays, "ON"), D(2024, 8, 12))
        events = list(self.claim.events.all())
        self.assertEqual(removal_stays(events, lambda on: None), [])


class MinisterInterventionCitationTests(ClaimTestCase):
    def test_rpd_rules_29_3_minister_states_facts_and_law_on_1e_and_1f(self):
        note = DeadlineRule.objects.get(key="minister_intervention_due").note
        self.assertIn("RPD Rules r.29(3)", note)
        self.assertNotIn("29(2)", note)
        for kind in ("exclusion_1e", "exclusion_1f"):
            self.assertIn("(RPD Rules r.29(3))", services.CHECKLISTS[kind][0])
