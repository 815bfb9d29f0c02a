"""Monthly disbursements planned from the settlement plan's budget schedule (issue 11: "monthly disbursements
planned from the budget schedule and then paid"), with the flat form kept for families without a plan."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from haven.funds import ledger
from haven.funds.models import Disbursement
from haven.funds.tests.test_services import FundsTestCase
from haven.sponsorship import plans
from haven.sponsorship.models import SponsorshipApplication
from haven.sponsorship.testing import maple_application


class ScheduleFromPlanTests(FundsTestCase):
    def extended_plan(self, starts_on: dt.date | None):
        """The Maple family's plan extended to 18 months (19,700 a year for two: cents that do not divide
        evenly, so the last month carries the remainder)."""
        plan = maple_application(self).plan
        plans.update_plan(actor=self.owner, plan=plan, family_size=2, support_starts_on=starts_on)
        plans.request_extension(actor=self.owner, plan=plan, months=18, reason="Medical follow-up")
        plans.approve_extension(actor=self.admin, plan=plan)
        return plan

    def test_planned_disbursements_equal_the_plan_schedule_and_sum_to_the_income_support(self):
        plan = self.extended_plan(dt.date(2026, 1, 31))
        budget = plans.plan_budget(plan)
        planned = ledger.plan_disbursements(actor=self.owner, case=self.case,
                                            schedule=ledger.schedule_from_settlement_plan(self.case))
        self.assertEqual([d.amount for d in planned], list(budget.schedule))
        self.assertEqual(len(planned), 18)
        self.assertNotEqual(planned[0].amount, planned[-1].amount)  # the rounding remainder is in the last month
        self.assertEqual(sum(d.amount for d in planned), budget.income_support)
        self.assertEqual(budget.income_support, Decimal("29550.00"))
        self.assertEqual([d.due_on for d in planned[:4]],
                         [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31), dt.date(2026, 4, 30)])
        self.assertEqual(planned[-1].due_on, dt.date(2027, 6, 30))
        self.assertEqual([d.month for d in planned], list(range(1, 19)))

    def test_without_a_support_start_the_first_month_is_the_arrival(self):
        self.extended_plan(None)
        SponsorshipApplication.objects.filter(case=self.case).update(arrived_on=dt.date(2025, 11, 3))
        schedule = ledger.schedule_from_settlement_plan(self.case)
        self.assertEqual(schedule[0][0], dt.date(2025, 11, 3))
        self.assertEqual(schedule[1][0], dt.date(2025, 12, 3))

    def test_a_family_without_a_plan_or_a_start_is_refused_with_a_message(self):
        self.assertRefused("no settlement plan", ledger.schedule_from_settlement_plan, self.case)
        self.extended_plan(None)
        self.assertRefused("no support start", ledger.schedule_from_settlement_plan, self.case)

    def test_staff_plan_from_the_family_page(self):
        self.login_as(self.owner)
        page = self.client.get(reverse("funds:family", kwargs={"case_pk": self.case.pk})).content.decode()
        self.assertNotIn("Plan from the settlement plan", page)  # no plan yet: the flat form only
        self.assertIn(reverse("funds:plan", kwargs={"case_pk": self.case.pk}), page)
        plan = self.extended_plan(dt.date(2026, 1, 31))
        page = self.client.get(reverse("funds:family", kwargs={"case_pk": self.case.pk})).content.decode()
        self.assertIn("Plan from the settlement plan", page)
        response = self.client.post(reverse("funds:plan_from_settlement", kwargs={"case_pk": self.case.pk}))
        self.assertRedirects(response, reverse("funds:family", kwargs={"case_pk": self.case.pk}))
        planned = Disbursement.objects.filter(fund__case=self.case, status=Disbursement.Status.PLANNED)
        self.assertEqual([d.amount for d in planned.order_by("month")], list(plans.plan_budget(plan).schedule))
        self.assertTrue(Disbursement.objects.filter(pk=self.disbursement.pk,
                                                    status=Disbursement.Status.CANCELLED).exists())

    def test_a_volunteer_cannot_plan_from_the_schedule(self):
        self.extended_plan(dt.date(2026, 1, 31))
        self.login_as(self.volunteer)
        response = self.client.post(reverse("funds:plan_from_settlement", kwargs={"case_pk": self.case.pk}))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Disbursement.objects.filter(fund__case=self.case, month__gt=1).exists())


class NeededFromThePlanTests(FundsTestCase):
    """The families' report reads what a family needs from its settlement plan (issue 11: needed against raised)."""

    def test_needed_is_the_plans_cash_needed_and_the_planned_months_without_a_plan(self):
        from haven.funds.reports import family_rows
        from haven.testing.factories import CaseFactory, HouseholdFactory

        plan = maple_application(self).plan
        planless = CaseFactory(organization=self.org, sponsor_group=self.group_a, reference="MSS-NOPLAN",
                               household=HouseholdFactory(organization=self.org, reference="HH-NOPLAN"))
        ledger.allocate(actor=self.owner, case=planless, amount="100.00")
        ledger.plan_disbursements(actor=self.owner, case=planless,
                                  schedule=[(dt.date(2026, 1, 1), Decimal("40.00")), (dt.date(2026, 2, 1),
                                                                                      Decimal("35.50"))])
        rows = {row.case.pk: row for row in family_rows(
            self.case.__class__.objects.filter(pk__in=[self.case.pk, planless.pk]))}
        self.assertEqual(rows[self.case.pk].needed, plans.plan_budget(plan).cash_needed)
        self.assertGreater(rows[self.case.pk].needed, Decimal("0"))
        self.assertEqual(rows[planless.pk].needed, Decimal("75.50"))
