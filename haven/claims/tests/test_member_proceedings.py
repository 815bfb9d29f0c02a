"""A joined member's own later proceedings (issue 12, RPD Rules r.55): a step recorded for one member is checked
against that member's own decision with the claim's rules and messages, completes that member's stored deadlines,
and the members' deadlines reach the deadlines page, the dashboard, the calendar feeds, the reminders and the API,
saying whose they are. Time is frozen on 18 June 2024: the family's decisions of 3 June, reasons of 10 June."""
from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haven.api.tests.base import url
from haven.audit.models import Action, AuditEntry
from haven.claims import services
from haven.claims.feeds import render_calendar
from haven.claims.models import ClaimEvent, Deadline, EventType, JoinedClaimant
from haven.claims.recompute import recompute_all_deadlines
from haven.claims.reminders import send_reminders
from haven.people.display import name_for_language
from haven.testing.factories import PersonFactory
from haven.testing.personas import PersonaTestCase

D = dt.date
NOW = dt.datetime(2024, 6, 18, 16, 0, tzinfo=dt.timezone.utc)
ONLY_THE_MINISTER = "The RPD allowed the claim: only the Minister may appeal it (IRPR s.159.91)."


def messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@override_settings(LANGUAGE_CODE="en")
class MemberTestCase(PersonaTestCase):
    """The principal claimant accepted, the child (joined member) rejected, both on 3 June with reasons on 10 June."""

    def setUp(self):
        traveller = time_machine.travel(NOW, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        self.claim = services.create_claim(actor=self.owner, case=self.case, reference="TC5-55002",
                                           claimant=self.person, members=[self.child], country_of_persecution="KP",
                                           referred_on=D(2024, 1, 8))
        services.record_event(actor=self.owner, claim=self.claim, type=EventType.DECISION_ACCEPTED,
                              occurred_on=D(2024, 6, 3), received_on=D(2024, 6, 10))
        self.member = services.record_member_decision(
            actor=self.owner, claimant=JoinedClaimant.objects.get(claim=self.claim, person=self.child),
            outcome="rejected", outcome_on=D(2024, 6, 3), reasons_received_on=D(2024, 6, 10))

    def appeal(self, claimant=None, occurred_on=D(2024, 6, 17)):
        return services.record_event(actor=self.owner, claim=self.claim, type=EventType.RAD_APPEAL_FILED,
                                     occurred_on=occurred_on, appellant="claimant", claimant=claimant)

    def child_name(self) -> str:
        return name_for_language(self.child, "en")

    def member_rows(self) -> dict[str, Deadline]:
        return {row.key: row for row in Deadline.objects.filter(claimant=self.member)}


class MemberStepRulesTests(MemberTestCase):
    def test_the_member_can_appeal_their_own_rejection_and_the_accepted_principal_cannot(self):
        with self.assertRaises(ValidationError) as refused:
            self.appeal()
        self.assertEqual(messages(refused.exception), ONLY_THE_MINISTER)
        event = self.appeal(claimant=self.member)
        self.assertEqual(event.claimant, self.member)
        notice = self.member_rows()["rad_notice_due"]
        self.assertEqual((notice.due_on, notice.completed_on, notice.event_id), (D(2024, 6, 25), D(2024, 6, 17), None))
        # The member's own perfecting period runs from their reasons; the appeal meets none of the claim's deadlines.
        self.assertIsNone(self.member_rows()["rad_record_due"].completed_on)
        self.assertIsNone(Deadline.objects.get(claim=self.claim, claimant=None, key="rad_minister_notice_due").completed_on)
        self.claim.refresh_from_db()
        self.assertEqual((self.claim.outcome, self.claim.stage), ("accepted", "decision_accepted"))

    def test_a_members_step_is_refused_with_the_claims_message(self):
        services.record_member_decision(actor=self.owner, claimant=self.member, outcome="accepted",
                                        outcome_on=D(2024, 6, 3), reasons_received_on=D(2024, 6, 10),
                                        expected_version=self.member.version)
        with self.assertRaises(ValidationError) as refused:
            self.appeal(claimant=self.member)
        self.assertEqual(messages(refused.exception), ONLY_THE_MINISTER)
        with self.assertRaises(ValidationError) as leave:
            services.record_event(actor=self.owner, claim=self.claim, type=EventType.FC_LEAVE_FILED,
                                  occurred_on=D(2024, 6, 17), claimant=self.member)
        self.assertIn("appeal to the RAD first (IRPA s.72(2)(a))", messages(leave.exception))
        self.assertFalse(ClaimEvent.objects.filter(claimant=self.member).exists())

    def test_a_member_who_follows_the_claim_or_of_another_claim_is_refused(self):
        follower = services.follow_claim_decision(actor=self.owner, claimant=self.member)
        with self.assertRaises(ValidationError) as own_first:
            self.appeal(claimant=follower)
        self.assertIn("Record this member's own decision first", messages(own_first.exception))
        other = services.create_claim(actor=self.owner, case=self.case, reference="TC5-55003",
                                      claimant=PersonFactory(household=self.case.household),
                                      members=[PersonFactory(household=self.case.household)],
                                      country_of_persecution="KP", referred_on=D(2024, 1, 8))
        with self.assertRaises(ValidationError) as stranger:
            self.appeal(claimant=other.claimants.get(is_principal=False))
        self.assertIn("This person is not in this claim's file", messages(stranger.exception))

    def test_the_members_decision_cannot_change_or_be_undone_under_their_steps(self):
        self.appeal(claimant=self.member)
        with self.assertRaises(ValidationError) as changed:
            services.record_member_decision(actor=self.owner, claimant=self.member, outcome="accepted",
                                            outcome_on=D(2024, 6, 3))
        self.assertEqual(messages(changed.exception), ONLY_THE_MINISTER)
        with self.assertRaises(ValidationError):
            services.follow_claim_decision(actor=self.owner, claimant=self.member)

    def test_removing_the_members_step_reopens_their_deadline_and_the_audit_row_names_it(self):
        event = self.appeal(claimant=self.member)
        entry = AuditEntry.objects.filter(action=Action.CREATE, object_type="claims.claimevent",
                                          object_id=str(event.pk)).get()
        self.assertIn(f"for person {self.child.pk}", entry.summary)
        self.assertEqual(entry.changes["claimant_id"]["new"], self.member.pk)
        services.remove_event(actor=self.owner, event=event, reason="Recorded for the wrong person.")
        self.assertIsNone(self.member_rows()["rad_notice_due"].completed_on)

    def test_a_full_recompute_keeps_the_members_rows_as_they_are(self):
        self.appeal(claimant=self.member)
        before = {key: (row.pk, row.due_on, row.completed_on) for key, row in self.member_rows().items()}
        principal = set(Deadline.objects.filter(claim=self.claim, claimant=None).values_list("pk", "due_on"))
        recompute_all_deadlines()
        self.assertEqual({key: (row.pk, row.due_on, row.completed_on) for key, row in self.member_rows().items()},
                         before)
        self.assertEqual(set(Deadline.objects.filter(claim=self.claim, claimant=None).values_list("pk", "due_on")),
                         principal)

    def test_correcting_the_members_step_is_checked_against_their_own_timeline(self):
        event = self.appeal(claimant=self.member)
        # Before the member's own decision of 3 June: refused, nothing changed.
        with self.assertRaises(ValidationError):
            services.correct_event(actor=self.owner, event=event, occurred_on=D(2024, 6, 1),
                                   reason="Typed the wrong day.")
        event.refresh_from_db()
        self.assertEqual(event.occurred_on, D(2024, 6, 17))
        self.assertEqual(self.member_rows()["rad_notice_due"].completed_on, D(2024, 6, 17))
        services.correct_event(actor=self.owner, event=event, occurred_on=D(2024, 6, 18), reason="Filed a day later.")
        self.assertEqual(self.member_rows()["rad_notice_due"].completed_on, D(2024, 6, 18))
        self.assertIsNone(Deadline.objects.get(claim=self.claim, claimant=None, key="rad_minister_notice_due").completed_on)
