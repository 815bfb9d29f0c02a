"""Protection claims over the API (haven/api/claims.py): the pages' access rules per persona, writes through the
claims services (their refusals as 400 with the same messages), ETag/If-Match on claims and evidence items, labels
beside codes, the deadlines list with the deadlines page's filters, and constant query counts."""
from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.api.tests.base import ApiTestCase, url
from haven.audit.models import Action
from haven.claims import services
from haven.claims.models import Claim, ClaimEvent, EventType, EvidenceItem, LegalIssue
from haven.claims.services import CHECKLISTS
from haven.claims.testing import maple_claim, maple_evidence
from haven.testing.factories import AssignmentFactory, CaseFactory, HouseholdFactory, PersonFactory

READERS = ("owner", "colleague", "admin", "counsel", "volunteer")
STRANGERS = ("outsider", "other_volunteer", "analyst")


class ClaimReadTests(ApiTestCase):
    def setUp(self):
        self.claim = maple_claim(self)

    def test_readers_see_the_claim_with_labels_beside_codes_and_strangers_get_404(self):
        for persona in READERS:
            with self.subTest(persona=persona):
                self.login_as(getattr(self, persona))
                response = self.client.get(url("claim-detail", self.claim.pk), HTTP_ACCEPT_LANGUAGE="fr")
                self.assertEqual(response.status_code, 200)
                body = response.json()
                self.assertEqual(body["country_of_persecution"], "KP")
                self.assertIn("Corée", body["country_of_persecution_name"])
                self.assertEqual((body["province"], body["province_label"]), ("ON", "Ontario"))
                self.assertEqual(body["outcome"], "rejected")
                self.assertEqual(body["outcome_label"], "Rejetée")
                self.assertEqual(response["ETag"], f'"claim-{self.claim.pk}-v1"')
        for persona in STRANGERS:
            with self.subTest(persona=persona):
                self.assert_hidden(getattr(self, persona), url("claim-detail", self.claim.pk))

    def test_the_list_shows_only_visible_claims_and_is_audited(self):
        self.login_as(self.owner)
        self.assertEqual(self.ids(self.client.get(url("claim-list"))), [self.claim.pk])
        self.assert_list_audited(self.owner, "claims.claim", [self.claim.pk])
        self.assertEqual(self.ids(self.client.get(url("claim-list", case=self.case.pk))), [self.claim.pk])
        self.login_as(self.outsider)
        self.assertEqual(self.ids(self.client.get(url("claim-list"))), [])
        self.assert_hidden(self.outsider, url("claim-list", case=self.case.pk))

    def test_steps_hide_the_note_from_volunteers(self):
        services.record_event(actor=self.owner, claim=self.claim, type=EventType.RAD_APPEAL_FILED,
                              occurred_on=dt.date(2024, 6, 20), appellant="claimant", note="Client is afraid.")
        self.login_as(self.owner)
        steps = self.client.get(url("claim-steps", self.claim.pk)).json()
        self.assertEqual([step["type"] for step in steps], ["referral", "decision_rejected", "rad_appeal_filed"])
        self.assertEqual(steps[2]["type_label"], "RAD notice of appeal filed")
        self.assertEqual(steps[2]["appellant_label"], "Claimant")
        self.assertEqual(steps[2]["note"], "Client is afraid.")
        self.assertEqual(self.last_audit(Action.LIST).object_type, "claims.claimevent")
        self.login_as(self.volunteer)
        steps = self.client.get(url("claim-steps", self.claim.pk)).json()
        self.assertIsNone(steps[2]["note"])
        self.assert_hidden(self.other_volunteer, url("claim-steps", self.claim.pk))

    def test_issues_carry_their_checklist_without_notes_or_confidential_files_for_volunteers(self):
        self.login_as(self.owner)
        issues = self.client.get(url("claim-issues", self.claim.pk)).json()
        self.assertEqual(issues[0]["kind"], "rok_nationality")
        self.assertEqual(issues[0]["notes"], "Confidential: family in Hyesan at risk.")
        self.assertEqual(issues[0]["evidence"][0]["attachments"], [self.attachment.pk])
        self.assertEqual(len(issues[0]["evidence"]), len(CHECKLISTS[LegalIssue.Kind.ROK_NATIONALITY]))
        self.login_as(self.volunteer)
        issues = self.client.get(url("claim-issues", self.claim.pk)).json()
        self.assertIsNone(issues[0]["notes"])
        self.assertEqual(issues[0]["evidence"][0]["attachments"], [])  # boc.pdf is confidential

    def test_claim_deadlines_name_their_rule_whose_step_and_trigger(self):
        self.login_as(self.owner)
        response = self.client.get(url("claim-deadlines", self.claim.pk), HTTP_ACCEPT_LANGUAGE="ko")
        rows = {row["key"]: row for row in response.json()}
        rad = rows["rad_notice_due"]
        self.assertEqual((rad["due_on"], rad["responsible"], rad["trigger"]),
                         ("2024-06-25", "claimant", "rpd_reasons_received"))
        self.assertNotEqual(rad["label"], "RAD notice of appeal due")  # the Korean label
        self.assertNotEqual(rad["trigger_label"], "rpd_reasons_received")
        self.assertEqual(rad["citation"], "IRPR s.159.91(1)(a)")
        self.assert_hidden(self.analyst, url("claim-deadlines", self.claim.pk))


class ClaimWriteTests(ApiTestCase):
    def setUp(self):
        self.claim = maple_claim(self)

    def test_recording_a_step_goes_through_the_service(self):
        self.login_as(self.counsel)
        response = self.client.post(url("claim-steps", self.claim.pk), {
            "type": "rad_appeal_filed", "occurred_on": "2024-06-20", "appellant": "claimant"}, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["type_label"], "RAD notice of appeal filed")
        self.assertEqual(self.claim.deadlines.get(key="rad_notice_due").completed_on, dt.date(2024, 6, 20))
        self.assertEqual(self.last_audit(Action.CREATE).object_type, "claims.claimevent")

    def test_a_step_the_law_refuses_answers_400_with_the_reason(self):
        self.login_as(self.owner)
        response = self.client.post(url("claim-steps", self.claim.pk),
                                    {"type": "fc_leave_filed", "occurred_on": "2024-06-20"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("IRPA s.72(2)(a)", str(response.json()))
        self.assertFalse(self.claim.events.filter(type="fc_leave_filed").exists())

    def test_a_detail_the_step_does_not_carry_is_refused_naming_it(self):
        self.login_as(self.owner)
        response = self.client.post(url("claim-steps", self.claim.pk), {
            "type": "rad_appeal_filed", "occurred_on": "2024-06-20", "appellant": "claimant",
            "scheduled_for": "2024-09-01"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"scheduled_for": [
            "“Hearing date” does not apply to the step “RAD notice of appeal filed”: leave it empty."]})
        self.assertFalse(self.claim.events.filter(type="rad_appeal_filed").exists())

    def test_volunteers_read_but_may_not_write_and_strangers_get_404(self):
        step = {"type": "rad_appeal_filed", "occurred_on": "2024-06-20", "appellant": "claimant"}
        self.login_as(self.volunteer)
        self.assertEqual(self.client.post(url("claim-steps", self.claim.pk), step, format="json").status_code, 403)
        self.assertEqual(self.client.post(url("claim-issues", self.claim.pk), {"kind": "identity"},
                                          format="json").status_code, 403)
        self.assertEqual(self.client.patch(url("claim-detail", self.claim.pk), {"province": "QC"},
                                           format="json").status_code, 403)
        for persona in STRANGERS:
            self.assert_hidden(getattr(self, persona), url("claim-steps", self.claim.pk), "post", step)
        self.assertEqual(self.claim.events.count(), 2)

    def test_adding_an_issue_brings_its_checklist(self):
        self.login_as(self.owner)
        response = self.client.post(url("claim-issues", self.claim.pk), {"kind": "identity", "notes": "Papers lost."},
                                    format="json")
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["kind"], body["kind_label"], len(body["evidence"])), ("identity", "Identity", 3))
        self.assertEqual(LegalIssue.objects.filter(claim=self.claim).count(), 2)

    def test_creating_a_claim_checks_the_household(self):
        self.login_as(self.owner)
        response = self.client.post(url("claim-list"), {
            "case": self.case.pk, "reference": "TB6-00009", "claimant": self.child.pk,
            "country_of_persecution": "North Korea", "province": "QC", "referred_on": "2024-06-09"}, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        claim = Claim.objects.get(reference="TB6-00009")
        self.assertEqual((claim.country_of_persecution, claim.deadlines.get(key="boc_due").due_on),
                         ("KP", dt.date(2024, 6, 25)))
        stranger = self.client.post(url("claim-list"), {
            "case": self.case.pk, "reference": "TB6-00010", "claimant": self.other_person.pk,
            "country_of_persecution": "KP"}, format="json")
        self.assertEqual(stranger.json(), {"claimant": ["The claimant must be a member of the case's household."]})
        self.login_as(self.volunteer)
        refused = self.client.post(url("claim-list"), {
            "case": self.case.pk, "reference": "TB6-00011", "claimant": self.child.pk,
            "country_of_persecution": "KP"}, format="json")
        self.assertEqual(refused.status_code, 403)

    def test_intake_and_rad_bar_fields_are_read_and_written_through_the_claim_services(self):
        self.login_as(self.owner)
        response = self.client.post(url("claim-list"), {
            "case": self.case.pk, "reference": "TB6-00012", "claimant": self.child.pk, "country_of_persecution": "KP",
            "province": "ON", "referred_on": "2024-06-10", "intake_route": "inland", "entered_canada_on": "2024-05-01",
            "us_land_crossing": "at_port", "claim_made_on": "2024-06-03", "stca_exception": True}, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["intake_route"], body["intake_route_label"], body["us_land_crossing"],
                          body["claim_made_on"], body["stca_exception"], body["designated_foreign_national"]),
                         ("inland", "Inland, at an IRCC office or online", "at_port", "2024-06-03", True, False))
        claim = Claim.objects.get(reference="TB6-00012")
        self.assertFalse(claim.deadlines.filter(key="boc_due").exists())  # IRPR s.159.8(1): inland
        changed = self.client.patch(url("claim-detail", claim.pk), {"intake_route": "port_of_entry"}, format="json")
        self.assertEqual(changed.status_code, 200, changed.content)
        self.assertTrue(claim.deadlines.filter(key="boc_due").exists())
        refused = self.client.patch(url("claim-detail", claim.pk), {"claim_made_on": "2024-04-01"}, format="json")
        self.assertEqual(refused.json(), {"claim_made_on": ["The claim cannot be made before the claimant entered "
                                                            "Canada."]})

    def test_a_stale_if_match_on_a_claim_answers_412_and_changes_nothing(self):
        self.login_as(self.owner)
        detail = url("claim-detail", self.claim.pk)
        tag = self.client.get(detail)["ETag"]
        first = self.client.patch(detail, {"province": "QC"}, format="json", HTTP_IF_MATCH=tag)
        self.assertEqual(first.status_code, 200, first.content)
        self.assertEqual(first["ETag"], f'"claim-{self.claim.pk}-v2"')
        stale = self.client.patch(detail, {"province": "BC"}, format="json", HTTP_IF_MATCH=tag)
        self.assertEqual(stale.status_code, 412)
        self.assertEqual(Claim.objects.get(pk=self.claim.pk).province, "QC")

    def test_evidence_is_changed_with_if_match(self):
        item = maple_evidence(self)
        self.login_as(self.owner)
        read = self.client.get(url("claim-evidence-detail", item.pk))
        self.assertEqual(read.json()["status_label"], "Needed")
        tag = read["ETag"]
        changed = self.client.patch(url("claim-evidence-detail", item.pk), {"status": "obtained"}, format="json",
                                    HTTP_IF_MATCH=tag)
        self.assertEqual(changed.status_code, 200, changed.content)
        self.assertEqual(changed.json()["status_label"], "Obtained")
        stale = self.client.patch(url("claim-evidence-detail", item.pk), {"status": "filed"}, format="json",
                                  HTTP_IF_MATCH=tag)
        self.assertEqual(stale.status_code, 412)
        foreign = self.client.patch(url("claim-evidence-detail", item.pk), {"attachments": [self.attachment.pk + 1000]},
                                    format="json")
        self.assertEqual(foreign.status_code, 400)
        self.assertEqual(EvidenceItem.objects.get(pk=item.pk).status, "obtained")
        self.login_as(self.volunteer)
        self.assertEqual(self.client.get(url("claim-evidence-detail", item.pk)).json()["attachments"], [])
        self.assertEqual(self.client.patch(url("claim-evidence-detail", item.pk), {"status": "filed"},
                                           format="json").status_code, 403)
        self.assert_hidden(self.outsider, url("claim-evidence-detail", item.pk))


class DeadlineListTests(ApiTestCase):
    def make_claims(self, count: int, start: int = 0) -> None:
        today = timezone.localdate()
        for n in range(start, start + count):
            household = HouseholdFactory(organization=self.org)
            case = CaseFactory(household=household, organization=self.org, reference=f"MSS-D-{n:03d}")
            AssignmentFactory(case=case, user=self.owner)
            claim = services.create_claim(actor=self.owner, case=case, reference=f"TB8-{n:05d}",
                                          claimant=PersonFactory(household=household), country_of_persecution="KP",
                                          referred_on=today - dt.timedelta(days=20))
            services.record_event(actor=self.owner, claim=claim, type=EventType.HEARING_SCHEDULED,
                                  occurred_on=today - dt.timedelta(days=19),
                                  scheduled_for=today + dt.timedelta(days=40))

    def test_filters_match_the_page(self):
        self.make_claims(2)
        self.login_as(self.owner)
        everything = self.client.get(url("deadline-list", days="all")).json()["results"]
        self.assertEqual({row["responsible"] for row in everything}, {"claimant", "minister", "board"})
        due = [row["due_on"] for row in everything]
        self.assertEqual(due, sorted(due))
        overdue = self.client.get(url("deadline-list", days="overdue")).json()["results"]
        # 15 days after a referral 20 days ago, and the last day to ask for more time, 3 working days before it
        self.assertEqual({row["key"] for row in overdue}, {"boc_due", "boc_extension_request_due"})
        self.assertTrue(all(row["days_left"] < 0 for row in overdue))
        board = self.client.get(url("deadline-list", days="all", responsible="board")).json()["results"]
        self.assertEqual({row["key"] for row in board}, {"hearing_due"})
        self.assertEqual(board[0]["responsible_label"], "Board or court")
        case = self.client.get(url("deadline-list", days="all", case=Claim.objects.get(reference="TB8-00000")
                                   .case_id)).json()["results"]
        self.assertEqual({row["claim_reference"] for row in case}, {"TB8-00000"})
        invalid = self.client.get(url("deadline-list", days="tomorrow"))
        self.assertEqual(invalid.status_code, 400)
        self.assertIn("days", invalid.json())

    def test_access_analyst_404_strangers_see_none(self):
        self.make_claims(1)
        self.login_as(self.analyst)
        self.assertEqual(self.client.get(url("deadline-list")).status_code, 404)
        for persona in ("outsider", "other_volunteer"):
            self.login_as(getattr(self, persona))
            self.assertEqual(self.ids(self.client.get(url("deadline-list", days="all"))), [])
        deadline = Claim.objects.get(reference="TB8-00000").deadlines.first()
        self.assert_hidden(self.outsider, url("deadline-detail", deadline.pk))
        self.login_as(self.owner)
        self.assertEqual(self.client.get(url("deadline-detail", deadline.pk)).json()["key"], deadline.key)

    def test_query_count_does_not_grow_with_the_number_of_deadlines(self):
        self.make_claims(1)
        self.login_as(self.owner)
        self.client.get(url("deadline-list", days="all"))
        with CaptureQueriesContext(connection) as few:
            self.client.get(url("deadline-list", days="all"))
        self.make_claims(6, start=1)
        with self.assertNumQueries(len(few)):
            response = self.client.get(url("deadline-list", days="all"))
        self.assertEqual(response.json()["count"], 7 * 5)

    def test_claim_list_query_count_is_constant(self):
        maple_claim(self)
        self.login_as(self.owner)
        self.client.get(url("claim-list"))
        with CaptureQueriesContext(connection) as few:
            self.client.get(url("claim-list"))
        self.make_claims(5)
        with self.assertNumQueries(len(few)):
            response = self.client.get(url("claim-list"))
        self.assertEqual(response.json()["count"], 6)
        self.assertEqual(ClaimEvent.objects.filter(claim__reference__startswith="TB8-").count(), 10)
