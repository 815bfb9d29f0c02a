"""Stage transitions (refused with their messages), corrections that keep history, the Group of Five rule, the
extension's second-user approval, eligibility history, alerts under frozen time, and an audit row for every
public service."""
from __future__ import annotations

import datetime as dt
import io

import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from haven.audit.models import AuditEntry
from haven.sponsorship import plans, services
from haven.sponsorship.models import (
    EligibilityAnswer,
    Program,
    SponsorKind,
    SponsorshipApplication,
    Stage,
    StageEvent,
    SupportAlert,
)
from haven.sponsorship.testing import maple_application
from haven.testing.factories import CaseFactory, HouseholdFactory
from haven.testing.personas import PersonaTestCase


class StageTests(PersonaTestCase):
    def setUp(self):
        self.app = maple_application(self)

    def step(self, stage, day, **details):
        return services.record_step(actor=self.owner, application=self.app, stage=stage, occurred_on=day, **details)

    def refused(self, stage, day, **details) -> dict:
        with self.assertRaises(ValidationError) as caught:
            self.step(stage, day, **details)
        return caught.exception.message_dict

    def test_skipping_a_stage_is_refused_with_the_expected_next_step(self):
        errors = self.refused(Stage.INTERVIEW, dt.date(2024, 3, 1))
        self.assertIn("“Interview” cannot follow “Undertaking signed (IMM 5373)”: the next step is “Submitted”",
                      errors["stage"][0])

    def test_submission_more_than_90_days_after_the_undertaking_is_refused_citing_imm_5373(self):
        errors = self.refused(Stage.SUBMITTED, dt.date(2024, 5, 2))  # 91 days after 2024-02-01
        self.assertIn("more than 90 days", errors["occurred_on"][0])
        self.assertIn("IMM 5373", errors["occurred_on"][0])
        self.step(Stage.SUBMITTED, dt.date(2024, 5, 1))  # 90 days: accepted
        self.app.refresh_from_db()
        self.assertEqual((self.app.stage, self.app.submitted_on), (Stage.SUBMITTED, dt.date(2024, 5, 1)))

    def test_acknowledgement_needs_the_file_number_and_refusal_needs_reasons(self):
        self.step(Stage.SUBMITTED, dt.date(2024, 3, 1))
        self.assertIn("federal file number", self.refused(Stage.ACKNOWLEDGED, dt.date(2024, 4, 1))
                      ["federal_file_number"][0])
        self.step(Stage.ACKNOWLEDGED, dt.date(2024, 4, 1), federal_file_number="B000123456")
        for stage in (Stage.IN_ASSESSMENT, Stage.INTERVIEW, Stage.MEDICAL, Stage.SECURITY):
            self.step(stage, dt.date(2024, 6, 1))
        self.assertIn("reasons", self.refused(Stage.DECISION, dt.date(2024, 7, 1), decision="refused")["reasons"][0])
        self.step(Stage.DECISION, dt.date(2024, 7, 1), decision="refused", reasons="Not credible")
        self.assertIn("refused", self.refused(Stage.TRAVEL, dt.date(2024, 8, 1))["stage"][0])

    def test_dates_before_the_previous_step_or_in_the_future_are_refused(self):
        self.assertIn("before the previous step", self.refused(Stage.SUBMITTED, dt.date(2024, 1, 5))["occurred_on"][0])
        self.assertIn("future", self.refused(Stage.SUBMITTED, dt.date(2999, 1, 1))["occurred_on"][0])

    def test_a_correction_keeps_the_original_row_and_is_replayed(self):
        original = self.app.events.get(stage=Stage.UNDERTAKING_SIGNED)
        services.correct_step(actor=self.colleague, event=original, occurred_on=dt.date(2024, 2, 20),
                              reason="Typo in the date")
        self.app.refresh_from_db()
        self.assertEqual(self.app.undertaking_signed_on, dt.date(2024, 2, 20))
        self.assertTrue(StageEvent.objects.filter(pk=original.pk, occurred_on=dt.date(2024, 2, 1)).exists())
        # A correction that would make the later submission late is refused.
        self.step(Stage.SUBMITTED, dt.date(2024, 5, 1))
        with self.assertRaises(ValidationError) as caught:
            services.correct_step(actor=self.owner, event=original, occurred_on=dt.date(2024, 1, 20),
                                  reason="Another date")
        self.assertIn("90 days", caught.exception.message_dict["occurred_on"][0])

    def test_removing_the_last_step_keeps_it_in_the_history(self):
        submitted = self.step(Stage.SUBMITTED, dt.date(2024, 3, 1))
        services.remove_step(actor=self.owner, event=submitted, reason="Recorded on the wrong family")
        self.app.refresh_from_db()
        self.assertEqual(self.app.stage, Stage.UNDERTAKING_SIGNED)
        self.assertEqual(self.app.events.filter(stage=Stage.SUBMITTED).count(), 2)  # the step and its removal
        first = self.app.events.get(stage=Stage.PREPARING)
        with self.assertRaises(ValidationError):
            services.remove_step(actor=self.owner, event=first, reason="no")


class SponsorRuleTests(PersonaTestCase):
    def test_group_of_five_needs_proof_of_recognition(self):
        services.save_sponsor_profile(actor=self.admin, team=self.group_b, kind=SponsorKind.GROUP_OF_FIVE)
        case = CaseFactory(household=HouseholdFactory(organization=self.org), organization=self.org,
                           reference="MSS-G5", sponsor_group=self.group_b)
        kwargs = {"actor": self.owner, "case": case, "sponsor_group": self.group_b, "transit_country": "TH",
                  "program": Program.objects.get(code="PSR"), "started_on": dt.date(2024, 1, 1)}
        with self.assertRaises(ValidationError) as caught:
            services.create_application(**kwargs)
        self.assertIn("IRPR s. 153(1)(b)", caught.exception.message_dict["sponsor_group"][0])
        application = services.create_application(**kwargs, recognition_proof="UNHCR mandate certificate 123")
        self.assertEqual(application.stage, Stage.PREPARING)

    def test_priority_needs_its_reason_and_orders_the_queue(self):
        app = maple_application(self)
        with self.assertRaises(ValidationError):
            services.set_priority(actor=self.owner, application=app, priority=True, reason="")
        self.assertEqual(SponsorshipApplication.objects.first(), app)


class PlanTests(PersonaTestCase):
    def setUp(self):
        self.plan = maple_application(self).plan

    def test_the_requester_cannot_approve_the_extension(self):
        plans.request_extension(actor=self.owner, plan=self.plan, months=18, reason="Medical needs")
        with self.assertRaises(ValidationError) as caught:
            plans.approve_extension(actor=self.owner, plan=self.plan)
        self.assertIn("cannot approve", caught.exception.message_dict["approver"][0])
        plans.approve_extension(actor=self.colleague, plan=self.plan)
        self.plan.refresh_from_db()
        self.assertEqual((self.plan.months, self.plan.extension_approved_by), (18, self.colleague))
        self.assertEqual(sum(plans.plan_budget(self.plan).schedule), plans.plan_budget(self.plan).income_support)

    def test_extension_needs_a_reason_and_at_most_36_months(self):
        for months, reason in ((18, ""), (37, "Medical needs"), (12, "Medical needs")):
            with self.assertRaises(ValidationError):
                plans.request_extension(actor=self.owner, plan=self.plan, months=months, reason=reason)

    def test_in_kind_reduces_the_cash_needed(self):
        plans.add_in_kind(actor=self.owner, plan=self.plan, kind="housing", value="6000.00", description="Flat")
        budget = plans.plan_budget(self.plan)
        self.assertEqual(str(budget.cash_needed), "18800.00")
        with self.assertRaises(ValidationError):
            plans.add_in_kind(actor=self.owner, plan=self.plan, kind="furniture", value="-1")

    def test_the_plan_keeps_its_cost_table_version(self):
        plans.add_cost_table(actor=self.admin, effective_from=dt.date(2025, 1, 1), source="test",
                             rows={1: ("1", "1"), 2: ("2", "2")}, extra_person=("1", "1"))
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.cost_table.effective_from, dt.date(2018, 5, 1))
        self.assertEqual(str(plans.plan_budget(self.plan).total), "24800.00")

    def test_alerts_60_and_30_days_before_the_period_ends(self):
        plans.update_plan(actor=self.owner, plan=self.plan, family_size=2, support_starts_on=dt.date(2025, 1, 15))
        # The period ends on 2026-01-15.
        with time_machine.travel(dt.datetime(2025, 11, 15, 12, tzinfo=dt.timezone.utc), tick=False):
            self.assertEqual(self._run(), "")  # 61 days before
        with time_machine.travel(dt.datetime(2025, 11, 16, 12, tzinfo=dt.timezone.utc), tick=False):
            self.assertIn("(60-day alert)", self._run())
            self.assertEqual(self._run(), "")  # once per threshold
        with time_machine.travel(dt.datetime(2025, 12, 16, 12, tzinfo=dt.timezone.utc), tick=False):
            self.assertIn("(30-day alert)", self._run())
        self.assertEqual(sorted(SupportAlert.objects.values_list("days_before", flat=True)), [30, 60])

    def _run(self) -> str:
        out = io.StringIO()
        call_command("sponsorship_alerts", stdout=out)
        return out.getvalue()


class AuditTests(PersonaTestCase):
    """Every public service writes its audit row."""

    def assert_audited(self, obj, call):
        before = AuditEntry.objects.count()
        result = call()
        target = result if obj is None else obj
        self.assertTrue(AuditEntry.objects.filter(seq__gt=0, object_type=target._meta.label_lower,
                                                  object_id=str(target.pk)).exists(), call)
        self.assertGreater(AuditEntry.objects.count(), before)
        return result

    def test_every_service_is_audited(self):
        app = maple_application(self)
        profile = app.sponsor_group.sponsor_profile
        a = self.assert_audited
        a(None, lambda: services.save_sponsor_profile(actor=self.admin, team=self.group_b, kind="co_sponsor"))
        a(None, lambda: services.add_sponsor_member(actor=self.admin, profile=profile, name="Jane", role="signatory"))
        a(app, lambda: services.set_priority(actor=self.owner, application=app, priority=False))
        a(app, lambda: services.change_recognition_proof(actor=self.owner, application=app,
                                                         recognition_proof="UNHCR doc"))
        event = a(app, lambda: services.record_step(actor=self.owner, application=app, stage=Stage.SUBMITTED,
                                                    occurred_on=dt.date(2024, 3, 1)))
        correction = a(app, lambda: services.correct_step(actor=self.owner, event=event,
                                                          occurred_on=dt.date(2024, 3, 2), reason="date"))
        a(app, lambda: services.remove_step(actor=self.owner, event=correction, reason="wrong"))
        a(None, lambda: services.answer_question(actor=self.owner, case=app.case, question="convention_refugee",
                                                 answer="yes"))
        a(None, lambda: plans.add_in_kind(actor=self.owner, plan=app.plan, kind="housing", value="10"))
        a(app.plan, lambda: plans.update_plan(actor=self.owner, plan=app.plan, family_size=3,
                                              support_starts_on=None))
        a(app.plan, lambda: plans.request_extension(actor=self.owner, plan=app.plan, months=24, reason="r"))
        a(app.plan, lambda: plans.approve_extension(actor=self.colleague, plan=app.plan))
        a(None, lambda: plans.add_cost_table(actor=self.admin, effective_from=dt.date(2030, 1, 1), source="s",
                                             rows={1: ("1", "1")}, extra_person=("1", "1")))
        self.assertTrue(AuditEntry.objects.filter(object_type="sponsorship.settlementplan", action="create").exists())
        self.assertTrue(AuditEntry.objects.filter(object_type="sponsorship.sponsorshipapplication",
                                                  action="create").exists())

    def test_answers_keep_who_answered_what_and_when(self):
        app = maple_application(self)
        services.answer_question(actor=self.owner, case=app.case, question="medical_concern", answer="unknown")
        services.answer_question(actor=self.colleague, case=app.case, question="medical_concern", answer="no")
        history = list(EligibilityAnswer.objects.filter(case=app.case, question="medical_concern")
                       .order_by("answered_at", "pk").values_list("answered_by__username", "answer"))
        self.assertEqual(history, [(self.owner.username, "unknown"), (self.colleague.username, "no")])
        with self.assertRaises(ValidationError):
            services.answer_question(actor=self.owner, case=app.case, question="nonsense", answer="yes")
