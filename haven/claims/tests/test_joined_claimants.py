"""Joined family claims decided person by person (RPD Rules r.55(1)): each person's record, its migration from the
claimant and members of existing claims, a member's own decision, and the claim page showing each outcome."""
from __future__ import annotations

import datetime as dt
import importlib

from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from haven.audit.models import AuditEntry
from haven.claims import selectors, services
from haven.claims.models import Claim, ClaimEvent, EventType, JoinedClaimant
from haven.records import EditConflict
from haven.testing.factories import PersonFactory
from haven.testing.personas import PersonaTestCase

D = dt.date
MIGRATION = importlib.import_module("haven.claims.migrations.0008_joined_claimants_per_person_outcomes")


class JoinedClaimTestCase(PersonaTestCase):
    def setUp(self):
        self.spouse_person = PersonFactory(household=self.case.household)
        self.claim = services.create_claim(actor=self.owner, case=self.case, reference="TC4-55001",
                                           claimant=self.person, members=[self.child, self.spouse_person],
                                           country_of_persecution="KP", referred_on=D(2024, 1, 8))

    def member(self, person) -> JoinedClaimant:
        return JoinedClaimant.objects.get(claim=self.claim, person=person)

    def outcomes(self) -> dict[int, tuple]:
        return {row.person_id: (row.is_principal, row.own_decision, row.outcome, row.outcome_on,
                                row.reasons_received_on) for row in JoinedClaimant.objects.filter(claim=self.claim)}


class RecordsOfEachPersonTests(JoinedClaimTestCase):
    def test_a_new_claim_has_one_record_per_person_the_principal_first(self):
        rows = list(self.claim.claimants.order_by("-is_principal", "pk"))
        self.assertEqual([(r.person_id, r.is_principal) for r in rows],
                         [(self.person.pk, True), (self.child.pk, False), (self.spouse_person.pk, False)])

    def test_the_claims_decision_reaches_the_principal_and_every_following_member(self):
        services.record_event(actor=self.owner, claim=self.claim, type=EventType.DECISION_REJECTED,
                              occurred_on=D(2024, 6, 3), received_on=D(2024, 6, 10))
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.outcome, "rejected")  # still the principal claimant's outcome
        for person in (self.person, self.child, self.spouse_person):
            self.assertEqual(self.outcomes()[person.pk][2:], ("rejected", D(2024, 6, 3), D(2024, 6, 10)))

    def test_a_members_own_decision_is_kept_when_the_claims_decision_changes(self):
        services.record_member_decision(actor=self.owner, claimant=self.member(self.child), outcome="accepted",
                                        outcome_on=D(2024, 6, 3), reasons_received_on=D(2024, 6, 12))
        services.record_event(actor=self.owner, claim=self.claim, type=EventType.DECISION_REJECTED,
                              occurred_on=D(2024, 6, 3), received_on=D(2024, 6, 10))
        outcomes = self.outcomes()
        self.assertEqual(outcomes[self.child.pk], (False, True, "accepted", D(2024, 6, 3), D(2024, 6, 12)))
        self.assertEqual(outcomes[self.person.pk], (True, False, "rejected", D(2024, 6, 3), D(2024, 6, 10)))
        self.assertEqual(outcomes[self.spouse_person.pk], (False, False, "rejected", D(2024, 6, 3), D(2024, 6, 10)))
        entry = AuditEntry.objects.filter(object_type="claims.joinedclaimant").latest("pk")
        self.assertEqual(entry.changes["outcome"], {"old": "", "new": "accepted"})
        self.assertEqual(entry.changes["own_decision"], {"old": False, "new": True})

    def test_following_the_claim_again_takes_the_claims_decision(self):
        services.record_event(actor=self.owner, claim=self.claim, type=EventType.DECISION_REJECTED,
                              occurred_on=D(2024, 6, 3), received_on=D(2024, 6, 10))
        child = services.record_member_decision(actor=self.owner, claimant=self.member(self.child),
                                                outcome="accepted", outcome_on=D(2024, 6, 3))
        services.follow_claim_decision(actor=self.owner, claimant=child, expected_version=child.version)
        self.assertEqual(self.outcomes()[self.child.pk], (False, False, "rejected", D(2024, 6, 3), D(2024, 6, 10)))

    def test_the_principals_decision_is_a_step_of_the_claim_not_a_member_decision(self):
        with self.assertRaises(ValidationError) as raised:
            services.record_member_decision(actor=self.owner, claimant=self.member(self.person), outcome="accepted",
                                            outcome_on=D(2024, 6, 3))
        self.assertIn("outcome", raised.exception.message_dict)

    def test_bad_member_decisions_are_refused_by_field_and_nothing_changes(self):
        child = self.member(self.child)
        cases = [
            ({"outcome": "", "outcome_on": D(2024, 6, 3)}, "outcome"),
            ({"outcome": "accepted", "outcome_on": None}, "outcome_on"),
            ({"outcome": "accepted", "outcome_on": D(2023, 12, 31)}, "outcome_on"),  # before the referral
            ({"outcome": "accepted", "outcome_on": D(2024, 6, 3), "reasons_received_on": D(2024, 6, 2)},
             "reasons_received_on"),
            ({"outcome": "accepted", "outcome_on": D(2999, 1, 1)}, "outcome_on"),  # in the future
        ]
        for arguments, field in cases:
            with self.subTest(field=field, arguments=arguments), self.assertRaises(ValidationError) as raised:
                services.record_member_decision(actor=self.owner, claimant=child, **arguments)
            self.assertIn(field, raised.exception.message_dict)
        self.assertEqual(self.outcomes()[self.child.pk], (False, False, "", None, None))

    def test_a_stale_page_cannot_overwrite_a_members_decision(self):
        child = self.member(self.child)
        services.record_member_decision(actor=self.owner, claimant=child, outcome="accepted",
                                        outcome_on=D(2024, 6, 3), expected_version=1)
        with self.assertRaises(EditConflict):
            services.record_member_decision(actor=self.owner, claimant=self.member(self.child), outcome="rejected",
                                            outcome_on=D(2024, 6, 3), expected_version=1)

    def test_a_member_with_an_own_decision_cannot_be_removed_from_the_claim(self):
        services.record_member_decision(actor=self.owner, claimant=self.member(self.child), outcome="accepted",
                                        outcome_on=D(2024, 6, 3))
        with self.assertRaises(ValidationError) as raised:
            services.update_claim(actor=self.owner, claim=self.claim, members=[self.spouse_person])
        self.assertIn("members", raised.exception.message_dict)
        self.assertEqual(set(self.claim.members.values_list("pk", flat=True)), {self.child.pk, self.spouse_person.pk})

    def test_members_added_and_removed_keep_the_records_in_step(self):
        services.record_event(actor=self.owner, claim=self.claim, type=EventType.DECISION_ACCEPTED,
                              occurred_on=D(2024, 6, 3), received_on=D(2024, 6, 10))
        self.claim.refresh_from_db()
        services.update_claim(actor=self.owner, claim=self.claim, members=[self.child])
        self.assertEqual(set(self.outcomes()), {self.person.pk, self.child.pk})
        services.update_claim(actor=self.owner, claim=self.claim, members=[self.child, self.spouse_person])
        self.assertEqual(self.outcomes()[self.spouse_person.pk],
                         (False, False, "accepted", D(2024, 6, 3), D(2024, 6, 10)))


class MigrationTests(PersonaTestCase):
    """Migration 0008 gives every existing claim (its claimant and members, as they were) one record per person."""

    def test_existing_claims_get_per_person_records_and_lose_nothing(self):
        spouse = PersonFactory(household=self.case.household)
        decided = Claim.objects.create(case=self.case, claimant=self.person, reference="OLD-1",
                                       country_of_persecution="KP", referred_on=D(2023, 2, 1), outcome="rejected",
                                       outcome_on=D(2023, 9, 1))
        decided.members.set([self.child, spouse, self.person])  # the claimant listed as a member too, once
        ClaimEvent.objects.create(claim=decided, type="referral", occurred_on=D(2023, 2, 1))
        ClaimEvent.objects.create(claim=decided, type="decision_rejected", occurred_on=D(2023, 9, 1),
                                  received_on=D(2023, 9, 8))
        pending = Claim.objects.create(case=self.case, claimant=spouse, reference="OLD-2",
                                       country_of_persecution="KP", referred_on=D(2024, 3, 1))
        before = {claim.pk: (claim.claimant_id, sorted(claim.members.values_list("pk", flat=True)), claim.outcome,
                             claim.outcome_on) for claim in Claim.objects.all()}
        JoinedClaimant.objects.all().delete()

        MIGRATION.create_claimant_rows(apps, None)

        rows = {(r.claim_id, r.person_id): (r.is_principal, r.own_decision, r.outcome, r.outcome_on,
                                           r.reasons_received_on) for r in JoinedClaimant.objects.all()}
        self.assertEqual(rows, {
            (decided.pk, self.person.pk): (True, False, "rejected", D(2023, 9, 1), D(2023, 9, 8)),
            (decided.pk, self.child.pk): (False, False, "rejected", D(2023, 9, 1), D(2023, 9, 8)),
            (decided.pk, spouse.pk): (False, False, "rejected", D(2023, 9, 1), D(2023, 9, 8)),
            (pending.pk, spouse.pk): (True, False, "", None, None),
        })
        after = {claim.pk: (claim.claimant_id, sorted(claim.members.values_list("pk", flat=True)), claim.outcome,
                            claim.outcome_on) for claim in Claim.objects.all()}
        self.assertEqual(after, before)  # the claim's own fields are untouched

        MIGRATION.delete_claimant_rows(apps, None)  # reversing removes only the new records
        self.assertFalse(JoinedClaimant.objects.exists())
        self.assertEqual(Claim.objects.count(), 2)


@override_settings(LANGUAGE_CODE="en")
class ClaimPageTests(JoinedClaimTestCase):
    def test_the_claim_page_shows_each_persons_outcome(self):
        services.record_event(actor=self.owner, claim=self.claim, type=EventType.DECISION_REJECTED,
                              occurred_on=D(2024, 6, 3), received_on=D(2024, 6, 10))
        services.record_member_decision(actor=self.owner, claimant=self.member(self.child), outcome="accepted",
                                        outcome_on=D(2024, 6, 5))
        self.client.force_login(self.owner)
        response = self.client.get(reverse("claim_detail", kwargs={"pk": self.claim.pk}))
        self.assertEqual(response.status_code, 200)
        section = response.content.decode().split('id="claimants"', 1)[1].split("</section>", 1)[0]
        self.assertIn("Principal claimant", section)
        self.assertIn("Joined member, own decision", section)
        self.assertIn("Joined member, follows the claim's decision", section)
        self.assertIn("2024-06-05", section)
        self.assertEqual((section.count("<td>Rejected</td>"), section.count("<td>Accepted</td>")), (2, 1))

    def test_a_members_own_rejection_shows_their_own_rad_deadline(self):
        services.record_member_decision(actor=self.owner, claimant=self.member(self.child), outcome="rejected",
                                        outcome_on=D(2024, 6, 3), reasons_received_on=D(2024, 6, 10))
        # Stored rows of the member's own, shown under the member from the claim's deadline rows.
        stored = selectors.claim_deadline_rows(self.claim, today=D(2024, 6, 12))
        rows = {row.person_id: row for row in selectors.claimant_outcomes(self.claim, stored)}
        due = {item.deadline.key: item.deadline.due_on for item in rows[self.child.pk].own_deadlines}
        self.assertEqual(due["rad_notice_due"], D(2024, 6, 25))  # 15 days after 10 June (IRPR 159.91(1)(a))
        self.assertEqual({item.deadline.claimant_id for item in rows[self.child.pk].own_deadlines},
                         {self.member(self.child).pk})
        self.assertEqual(rows[self.person.pk].own_deadlines, [])  # the principal's are the claim's own rows
        self.client.force_login(self.owner)
        response = self.client.get(reverse("claim_detail", kwargs={"pk": self.claim.pk}))
        self.assertContains(response, "2024-06-25")

    def test_a_member_decision_posted_from_the_page_is_recorded(self):
        self.client.force_login(self.owner)
        child = self.member(self.child)
        response = self.client.post(reverse("claimant_decision", kwargs={"pk": child.pk}), {
            "action": "record", "outcome": "withdrawn", "outcome_on": "2024-05-01", "version": child.version})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.outcomes()[self.child.pk], (False, True, "withdrawn", D(2024, 5, 1), None))
