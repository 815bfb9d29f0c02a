"""Every public service writes its audit row (after Zulip's test that calls every action).

The test enumerates, with `inspect`, every public function defined in every app's `services` module (and in
the modules of a `services` package) and looks it up by "app.function" in one of three places:

- SWEEP: a callable of the test case (the personas of haven.testing.personas and the records made in
  setUpTestData) that calls the service once, and the audit row it must write: its action and object type
  (`haven.audit.services.object_label`, "" for a row about no single record);
- a `check_*` function: a validator that raises ValidationError and writes nothing (the architecture's shape:
  `check_<action>` validates, `<action>` acts and audits), exempt by its prefix;
- NOT_AUDITED: public functions that legitimately write no row, each with the reason.

A public service that is in none of them fails `test_every_public_service_is_swept`: a new app (or a new
service) adds its line to SWEEP. Each call runs in a savepoint that is rolled back, so the cases do not
affect each other and the fixtures stay as built.
"""
from __future__ import annotations

import csv
import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

import haven
from haven.accounts import services as accounts
from haven.accounts.models import Membership, Role
from haven.api import services as api
from haven.audit import services as audit
from haven.audit.models import AuditEntry
from haven.cases import services as cases
from haven.cases.models import Case, CaseAssignment
from haven.casework import services as casework
from haven.casework.models import Task
from haven.casework.testing import build_work
from haven.claims import services as claims
from haven.claims import testing as claims_testing
from haven.claims.models import DeadlineRule, EventType, EvidenceItem, LegalIssue
from haven.crypto import services as crypto
from haven.demo import services as demo
from haven.matching import services as matching
from haven.matching.models import MatchCandidate
from haven.people import services as people
from haven.people.models import IdentityDocument, PersonLanguage, PersonName, Vulnerability
from haven.sponsorship import services as sponsorship
from haven.sponsorship import testing as sponsorship_testing
from haven.sponsorship.models import Program as SponsorshipProgram
from haven.settlement import services as settlement
from haven.settlement.testing import maple_settlement
from haven.stats import services as stats
from haven.stats.models import PublishedFigure
from haven.funds import services as funds
from haven.funds import testing as funds_testing
from haven.testing.factories import PersonFactory
from haven.testing.personas import PersonaTestCase
from haven.transfer import services as transfer

# The documented example of the people import (docs/import-people.md).
EXAMPLE_IMPORT = Path(haven.__file__).resolve().parent.parent / "docs" / "examples" / "people-import-example.csv"


@dataclass(frozen=True)
class Audited:
    """Call the service (a callable of the test case); it must write a row with this action and object type."""

    call: Callable[[Any], Any]
    action: str
    object_type: str


# ------------------------------------------------------------------------------------------------ helpers
# Records some services act on, made through the ORM (not through a service, whose own audit row would blur
# the count).

def colleague_membership(t) -> Membership:
    return Membership.objects.get(user=t.colleague, organization=t.org)


def deleted(t, item):
    """`item` moved to the deleted items by the owner, as a delete service leaves it."""
    type(item).all_objects.filter(pk=item.pk).update(deleted_at=timezone.now(), deleted_by=t.owner)
    return type(item).all_objects.get(pk=item.pk)


def verify_new_device(t) -> bool:
    """A pending authenticator confirmed by its first good code. verify_totp writes a row when it confirms a
    device or rejects a code, none for a good code from a confirmed device (reported to the lead: the login row
    is written at the password step, before the second factor)."""
    device = TOTPDevice.objects.create(user=t.owner, name="sweep", confirmed=False)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"
    return accounts.verify_totp(user=t.owner, device=device, token=code)


def fresh(item):
    """`item` as stored: an earlier service call changed the test case's copy before its savepoint rolled back."""
    return type(item).all_objects.get(pk=item.pk)


def done_task(t) -> Task:
    """The owner's task, done (as complete_task leaves it)."""
    Task.objects.filter(pk=t.owner_task.pk).update(status=Task.Status.DONE)
    return Task.objects.get(pk=t.owner_task.pk)


def one_time_password_used(t) -> None:
    """The colleague signs in with the one-time password an administrator set (reset_member_password)."""
    t.colleague.must_change_password = True
    accounts.use_one_time_password(user=t.colleague)


def revoke_token(t) -> bool:
    Token.objects.create(user=t.owner)
    return accounts.revoke_api_token(user=t.owner)


def import_rows() -> list[dict[str, str]]:
    with EXAMPLE_IMPORT.open( encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


PUBLISHED_CSV = ("source,published,subject,period,measure,value,unit,statement\n"
                 "Sweep Daily,2020-01-02,North Korean refugee claims in Canada,2019,claims,12,claims,twelve\n").encode()


# ---------------------------------------------------------------------------------------------- the sweep
# "app.function" → how to call it and the row it writes. One line per service.

SWEEP: dict[str, Audited] = {
    # accounts
    "accounts.add_member": Audited(lambda t: accounts.add_member(
        actor=t.admin, organization=t.org, username="sweep@maple.test", email="sweep@maple.test",
        role=Role.CASEWORKER), "create", "accounts.membership"),
    "accounts.change_password": Audited(lambda t: accounts.change_password(
        user=t.owner, new_password="another horse battery staple"), "security", "accounts.user"),
    "accounts.create_organization": Audited(lambda t: accounts.create_organization(
        actor=None, name="Sweep Settlement", slug="sweep", kind="settlement"), "create", "accounts.organization"),
    "accounts.create_user": Audited(lambda t: accounts.create_user(
        actor=None, organization=t.org, username="sweep-cli@maple.test", role=Role.VOLUNTEER, team_name="Group A"),
        "create", "accounts.membership"),
    "accounts.use_one_time_password": Audited(one_time_password_used, "security", "accounts.user"),
    "accounts.issue_api_token": Audited(lambda t: accounts.issue_api_token(user=t.owner), "security",
                                        "accounts.user"),
    "accounts.record_login": Audited(lambda t: accounts.record_login(user=t.owner), "login", "accounts.user"),
    "accounts.record_login_failed": Audited(lambda t: accounts.record_login_failed(username=t.owner.username),
                                            "login_failed", ""),
    "accounts.record_logout": Audited(lambda t: accounts.record_logout(user=t.owner), "logout", "accounts.user"),
    "accounts.remove_member": Audited(lambda t: accounts.remove_member(
        actor=t.admin, membership=colleague_membership(t)), "delete", "accounts.membership"),
    "accounts.remove_totp_devices": Audited(lambda t: accounts.remove_totp_devices(user=t.admin), "security",
                                            "accounts.user"),
    "accounts.reset_member_password": Audited(lambda t: accounts.reset_member_password(
        actor=t.admin, membership=colleague_membership(t)), "security", "accounts.user"),
    "accounts.revoke_api_token": Audited(revoke_token, "security", "accounts.user"),
    "accounts.set_preferred_language": Audited(lambda t: accounts.set_preferred_language(
        user=t.owner, language="fr"), "update", "accounts.user"),
    "accounts.start_totp_enrolment": Audited(lambda t: accounts.start_totp_enrolment(user=t.owner), "security",
                                             "accounts.user"),
    "accounts.update_member": Audited(lambda t: accounts.update_member(
        actor=t.admin, membership=colleague_membership(t), role=Role.LEGAL_REP), "update", "accounts.membership"),
    "accounts.verify_totp": Audited(verify_new_device, "security", "accounts.user"),
    # api: the audit rows of what the API lists and shows
    "api.audit_list": Audited(lambda t: api.audit_list(actor=t.owner, model=Case, objects=[t.case]), "list",
                              "cases.case"),
    "api.audit_view": Audited(lambda t: api.audit_view(actor=t.owner, obj=t.case, case_id=t.case.pk), "view",
                              "cases.case"),
    # audit: the log's own writers
    "audit.record": Audited(lambda t: audit.record(actor=t.owner, action="view", obj=t.case), "view", "cases.case"),
    "audit.record_events": Audited(lambda t: audit.record_events(
        actor=t.owner, events=[audit.event_for("view", t.person, case_id=t.case.pk)]), "view", "people.person"),
    "audit.record_views": Audited(lambda t: audit.record_views(actor=t.owner, objects=[(t.person, t.case.pk)]),
                                  "view", "people.person"),
    # cases
    "cases.add_attachment": Audited(lambda t: cases.add_attachment(
        actor=t.owner, case=t.case, filename="sweep.pdf", content=b"%PDF-1.4 sweep", content_type="application/pdf"),
        "create", "cases.attachment"),
    "cases.add_note": Audited(lambda t: cases.add_note(actor=t.owner, case=t.case, body="Sweep.", confidential=False),
                              "create", "cases.note"),
    "cases.assign_worker": Audited(lambda t: cases.assign_worker(actor=t.owner, case=t.case, user=t.colleague),
                                   "create", "cases.caseassignment"),
    "cases.delete_attachment": Audited(lambda t: cases.delete_attachment(actor=t.owner, attachment=t.attachment),
                                       "delete", "cases.attachment"),
    "cases.delete_note": Audited(lambda t: cases.delete_note(actor=t.owner, note=t.note), "delete", "cases.note"),
    "cases.open_case": Audited(lambda t: cases.open_case(
        actor=t.owner, organization=t.org, household=t.household, reference="MSS-2026-SWEEP"), "create",
        "cases.case"),
    "cases.open_case_with_household": Audited(lambda t: cases.open_case_with_household(
        actor=t.owner, organization=t.org, reference="MSS-2026-SWEEP2", household_reference="SWEEP-HH",
        household_name="Sweep family", principal={"family_name": "Sweep", "given_name": "Sam"}), "create",
        "cases.case"),
    "cases.read_attachment": Audited(lambda t: cases.read_attachment(actor=t.owner, attachment=t.attachment),
                                     "download", "cases.attachment"),
    "cases.restore_case_item": Audited(lambda t: cases.restore_case_item(actor=t.admin, item=deleted(t, t.note)),
                                       "update", "cases.note"),
    "cases.unassign_worker": Audited(lambda t: cases.unassign_worker(
        actor=t.owner, assignment=CaseAssignment.objects.get(case=t.case, user=t.counsel)), "delete",
        "cases.caseassignment"),
    "cases.update_case": Audited(lambda t: cases.update_case(actor=t.owner, case=t.case, title="Sweep title"),
                                 "update", "cases.case"),
    "cases.update_note": Audited(lambda t: cases.update_note(
        actor=t.owner, note=t.open_note, body="Sweep, changed.", confidential=False), "update", "cases.note"),
    # sponsorship (haven.sponsorship.testing: the Maple case's application). Steps are append-only rows, audited
    # as changes of their application.
    "sponsorship.add_sponsor_member": Audited(lambda t: sponsorship.add_sponsor_member(
        actor=t.admin, profile=sponsorship_testing.maple_application(t).sponsor_group.sponsor_profile,
        name="Sweep Member", role="contact"), "create", "sponsorship.sponsormember"),
    "sponsorship.answer_question": Audited(lambda t: sponsorship.answer_question(
        actor=t.owner, case=sponsorship_testing.maple_application(t).case, question="convention_refugee",
        answer="yes"), "create", "sponsorship.eligibilityanswer"),
    "sponsorship.change_recognition_proof": Audited(lambda t: sponsorship.change_recognition_proof(
        actor=t.owner, application=sponsorship_testing.maple_application(t), recognition_proof="UNHCR 2019"),
        "update", "sponsorship.sponsorshipapplication"),
    "sponsorship.correct_step": Audited(lambda t: sponsorship.correct_step(
        actor=t.owner, event=sponsorship_testing.maple_event(t), occurred_on=dt.date(2024, 2, 2),
        reason="Sweep correction."), "update", "sponsorship.sponsorshipapplication"),
    "sponsorship.create_application": Audited(lambda t: sponsorship.create_application(
        actor=t.owner, case=cases.open_case(actor=t.owner, organization=t.org, household=t.household,
                                            reference="MSS-2026-SWEEP3"),
        sponsor_group=t.group_a, program=SponsorshipProgram.objects.get(code="PSR"), transit_country="TH",
        started_on=dt.date(2024, 1, 10)), "create", "sponsorship.sponsorshipapplication"),
    "sponsorship.record_step": Audited(lambda t: sponsorship.record_step(
        actor=t.owner, application=sponsorship_testing.maple_application(t), stage="submitted",
        occurred_on=dt.date(2024, 2, 20)), "update", "sponsorship.sponsorshipapplication"),
    "sponsorship.remove_step": Audited(lambda t: sponsorship.remove_step(
        actor=t.owner, event=sponsorship_testing.maple_event(t), reason="Sweep removal."), "update",
        "sponsorship.sponsorshipapplication"),
    "sponsorship.save_sponsor_profile": Audited(lambda t: sponsorship.save_sponsor_profile(
        actor=t.admin, team=t.group_b, kind="community_sponsor", community="Sweep"), "create",
        "sponsorship.sponsorprofile"),
    "sponsorship.set_priority": Audited(lambda t: sponsorship.set_priority(
        actor=t.owner, application=sponsorship_testing.maple_application(t), priority=False), "update",
        "sponsorship.sponsorshipapplication"),
    # casework (issue 13): tasks and appointments of the Maple case (haven.casework.testing.build_work)
    "casework.cancel_appointment": Audited(lambda t: casework.cancel_appointment(
        actor=t.owner, appointment=fresh(t.volunteer_appointment)), "update", "casework.appointment"),
    "casework.cancel_task": Audited(lambda t: casework.cancel_task(actor=t.owner, task=fresh(t.owner_task)), "update",
                                    "casework.task"),
    "casework.complete_task": Audited(lambda t: casework.complete_task(
        actor=t.volunteer, task=fresh(t.volunteer_task), outcome="Sweep."), "update", "casework.task"),
    "casework.create_appointment": Audited(lambda t: casework.create_appointment(
        actor=t.owner, case=t.case, title="Sweep", starts_at=fresh(t.volunteer_appointment).starts_at,
        ends_at=fresh(t.volunteer_appointment).ends_at, place="Sweep", attendees=[t.owner]), "create",
        "casework.appointment"),
    "casework.create_task": Audited(lambda t: casework.create_task(
        actor=t.owner, case=t.case, title="Sweep", assignee=t.volunteer, due_on=dt.date(2026, 3, 1)), "create",
        "casework.task"),
    "casework.delete_appointment": Audited(lambda t: casework.delete_appointment(
        actor=t.owner, appointment=fresh(t.staff_appointment)), "delete", "casework.appointment"),
    "casework.delete_task": Audited(lambda t: casework.delete_task(actor=t.owner, task=fresh(t.owner_task)), "delete",
                                    "casework.task"),
    "casework.reopen_task": Audited(lambda t: casework.reopen_task(actor=t.owner, task=done_task(t)), "update",
                                    "casework.task"),
    "casework.start_task": Audited(lambda t: casework.start_task(actor=t.owner, task=fresh(t.owner_task)), "update",
                                   "casework.task"),
    "casework.update_appointment": Audited(lambda t: casework.update_appointment(
        actor=t.owner, appointment=fresh(t.volunteer_appointment), expected_version=1, place="Sweep"), "update",
        "casework.appointment"),
    "casework.update_task": Audited(lambda t: casework.update_task(
        actor=t.owner, task=fresh(t.owner_task), expected_version=1, title="Sweep"), "update", "casework.task"),
    # funds (haven.funds.testing: the Maple organization's campaign, donor, gift, receipt and trust). The ledger's
    # and the receipts' writes (allocate, plan, approve, pay, issue, void) are swept in haven/funds/tests.
    "funds.create_campaign": Audited(lambda t: funds.create_campaign(
        actor=t.owner, organization=t.org, name="Sweep campaign", goal=Decimal("1000.00"),
        starts_on=dt.date(2026, 1, 1)), "create", "funds.campaign"),
    "funds.create_donor": Audited(lambda t: funds.create_donor(actor=t.owner, organization=t.org, name="Sweep Donor"),
                                  "create", "funds.donor"),
    "funds.create_pledge": Audited(lambda t: funds.create_pledge(
        actor=t.owner, donor=funds.create_donor(actor=t.owner, organization=t.org, name="Sweep Pledger"),
        amount=Decimal("10.00"), pledged_on=dt.date(2026, 1, 2)), "create", "funds.pledge"),
    "funds.record_donation": Audited(lambda t: funds.record_donation(
        actor=t.owner, organization=t.org, amount=Decimal("25.00"), received_on=dt.date(2026, 1, 3)), "create",
        "funds.donation"),
    "funds.save_charity_profile": Audited(lambda t: funds_testing.charity(t), "create", "funds.charityprofile"),
    "funds.void_donation": Audited(lambda t: funds.void_donation(
        actor=t.owner, donation=funds.record_donation(actor=t.owner, organization=t.org, amount=Decimal("5.00"),
                                                      received_on=dt.date(2026, 1, 4)),
        reason="Sweep: recorded twice."), "update", "funds.donation"),
    # claims
    "claims.add_evidence_item": Audited(lambda t: claims.add_evidence_item(
        actor=t.owner, issue=LegalIssue.objects.filter(claim=t.claim).first(), description="Sweep evidence."),
        "create", "claims.evidenceitem"),
    "claims.add_issue": Audited(lambda t: claims.add_issue(actor=t.owner, claim=t.claim,
                                                           kind=LegalIssue.Kind.CREDIBILITY), "create",
                                "claims.legalissue"),
    "claims.correct_event": Audited(lambda t: claims.correct_event(
        actor=t.owner, event=claims_testing.maple_event(t), reason="Sweep.", received_on=dt.date(2024, 6, 17)),
        "update", "claims.claimevent"),
    "claims.create_claim": Audited(lambda t: claims.create_claim(
        actor=t.owner, case=t.case, reference="TB6-SWEEP", claimant=t.spouse, country_of_persecution="KP",
        referred_on=dt.date(2024, 2, 1)), "create", "claims.claim"),
    "claims.follow_claim_decision": Audited(lambda t: claims.follow_claim_decision(
        actor=t.owner, claimant=claims_testing.maple_member(t)), "update", "claims.joinedclaimant"),
    "claims.record_member_decision": Audited(lambda t: claims.record_member_decision(
        actor=t.owner, claimant=claims_testing.maple_member(t), outcome="accepted", outcome_on=dt.date(2024, 6, 3)),
        "update", "claims.joinedclaimant"),
    "claims.record_event": Audited(lambda t: claims.record_event(
        actor=t.owner, claim=t.claim, type=EventType.RAD_APPEAL_FILED, occurred_on=dt.date(2024, 6, 20),
        appellant="claimant"),
        "create", "claims.claimevent"),
    "claims.remove_event": Audited(lambda t: claims.remove_event(
        actor=t.owner, event=claims_testing.maple_event(t), reason="Sweep."), "delete", "claims.claimevent"),
    "claims.save_rule": Audited(lambda t: claims.save_rule(
        actor=t.admin, rule=DeadlineRule.objects.get(key="boc_due"), changed_fields=["period"]), "update",
        "claims.deadlinerule"),
    "claims.update_claim": Audited(lambda t: claims.update_claim(actor=t.owner, claim=t.claim, province="BC"),
                                   "update", "claims.claim"),
    "claims.update_evidence_item": Audited(lambda t: claims.update_evidence_item(
        actor=t.owner, item=EvidenceItem.objects.filter(issue__claim=t.claim).first(),
        status=EvidenceItem.Status.REQUESTED), "update", "claims.evidenceitem"),
    # crypto
    "crypto.rotate_all": Audited(lambda t: crypto.rotate_all(actor=t.admin), "key_rotation", ""),
    # demo: loaded through the audited services (the people import, claims, notes, ...); the organizations,
    # teams and logins it makes first are audited as created by the demo command.
    "demo.load_demo": Audited(lambda t: demo.load_demo(), "import", "accounts.organization"),
    # matching
    "matching.mark_not_same": Audited(lambda t: matching.mark_not_same(actor=t.owner, candidate=t.candidate),
                                      "update", "matching.matchcandidate"),
    "matching.merge_persons": Audited(lambda t: matching.merge_persons(
        actor=t.owner, kept=t.candidate.person_a, absorbed=t.candidate.person_b, candidate=t.candidate), "merge",
        "people.person"),
    "matching.run_batch": Audited(lambda t: matching.run_batch(actor=t.owner, organization=t.org), "create", ""),
    "matching.unmerge": Audited(lambda t: matching.unmerge(actor=t.owner, merge=t.merge), "unmerge",
                                "people.person"),
    # people
    "people.add_identity_document": Audited(lambda t: people.add_identity_document(
        actor=t.owner, person=t.person, kind=IdentityDocument.Kind.UNHCR, number="UNHCR-SWEEP"), "create",
        "people.identitydocument"),
    "people.add_language": Audited(lambda t: people.add_language(actor=t.owner, person=t.person, language="eng"),
                                   "create", "people.personlanguage"),
    "people.add_nationality": Audited(lambda t: people.add_nationality(actor=t.owner, person=t.person,
                                                                       country="CN"), "create", "people.nationality"),
    "people.add_person_name": Audited(lambda t: people.add_person_name(
        actor=t.owner, person=t.person, family_name="Lee", given_name="Myeong-cheol"), "create", "people.personname"),
    "people.add_vulnerability": Audited(lambda t: people.add_vulnerability(
        actor=t.owner, person=t.person, kind=Vulnerability.Kind.MEDICAL, details="Sweep."), "create",
        "people.vulnerability"),
    "people.create_household": Audited(lambda t: people.create_household(
        actor=t.owner, organization=t.org, reference="HH-SWEEP", name="Sweep family"), "create", "people.household"),
    "people.create_person": Audited(lambda t: people.create_person(
        actor=t.owner, household=t.household, data={"family_name": "Ri", "given_name": "Sweep",
                                                    "relationship": "child", "sex": "F"}), "create", "people.person"),
    "people.remove_identity_document": Audited(lambda t: people.remove_identity_document(
        actor=t.owner, document=t.document), "delete", "people.identitydocument"),
    "people.remove_language": Audited(lambda t: people.remove_language(actor=t.owner, language=t.language),
                                      "delete", "people.personlanguage"),
    "people.remove_nationality": Audited(lambda t: people.remove_nationality(
        actor=t.owner, nationality=t.person.nationalities.get(country="KR")), "delete", "people.nationality"),
    "people.remove_person_name": Audited(lambda t: people.remove_person_name(actor=t.owner, name=t.other_name),
                                         "delete", "people.personname"),
    "people.remove_vulnerability": Audited(lambda t: people.remove_vulnerability(
        actor=t.owner, vulnerability=t.vulnerability), "delete", "people.vulnerability"),
    "people.restore_removed_item": Audited(lambda t: people.restore_removed_item(
        actor=t.admin, item=deleted(t, t.vulnerability)), "update", "people.vulnerability"),
    "people.update_household": Audited(lambda t: people.update_household(actor=t.owner, household=t.household,
                                                                         name="Ri household"), "update",
                                       "people.household"),
    "people.update_nationality": Audited(lambda t: people.update_nationality(
        actor=t.owner, nationality=t.person.nationalities.get(country="KR"), status="may_acquire", note="Sweep."),
        "update", "people.nationality"),
    "people.make_principal": Audited(lambda t: people.make_principal(actor=t.owner, person=t.child,
                                                                     former_relationship="spouse"), "update",
                                     "people.person"),
    "people.update_person": Audited(lambda t: people.update_person(actor=t.owner, person=t.person,
                                                                   data={"birth_place": "Hyesan"}), "update",
                                    "people.person"),
    # stats
    "stats.load_seed": Audited(lambda t: stats.load_seed(actor=t.admin), "import", ""),
    "stats.mark_figure": Audited(lambda t: stats.mark_figure(
        actor=t.admin, figure=PublishedFigure.objects.order_by("pk").first(), reliability="erroneous",
        source="Sweep: the publisher's correction."), "update", "stats.publishedfigure"),
    "stats.import_published": Audited(lambda t: stats.import_published(
        actor=t.admin, data=PUBLISHED_CSV, filename="sweep.csv"), "import", ""),
    # transfer
    "transfer.import_people": Audited(lambda t: transfer.import_people(
        actor=t.owner, organization=t.org, rows=import_rows()), "import", "accounts.organization"),
    # --- settlement (haven.settlement; records from haven.settlement.testing.maple_settlement) ---
    "settlement.record_assessment": Audited(lambda t: settlement.record_assessment(
        actor=t.owner, case=t.case, assessed_on=dt.date(2025, 6, 1), ratings=[{"domain": "housing", "level": 3}]),
        "create", "settlement.assessment"),
    "settlement.delete_assessment": Audited(lambda t: settlement.delete_assessment(
        actor=t.owner, assessment=t.assessment), "delete", "settlement.assessment"),
    "settlement.add_provider": Audited(lambda t: settlement.add_provider(
        actor=t.owner, organization=t.org, name="Sweep Jobs", kind="employment_program"), "create",
        "settlement.provider"),
    "settlement.update_provider": Audited(lambda t: settlement.update_provider(
        actor=t.owner, provider=t.provider, contact="604-555-0100"), "update", "settlement.provider"),
    "settlement.delete_provider": Audited(lambda t: settlement.delete_provider(actor=t.owner, provider=t.provider),
                                          "delete", "settlement.provider"),
    "settlement.add_goal": Audited(lambda t: settlement.add_goal(
        actor=t.owner, case=t.case, domain="housing", description="Sweep goal"), "create", "settlement.goal"),
    "settlement.update_goal": Audited(lambda t: settlement.update_goal(
        actor=t.owner, goal=t.goal, description="Sweep goal"), "update", "settlement.goal"),
    "settlement.delete_goal": Audited(lambda t: settlement.delete_goal(actor=t.owner, goal=t.goal), "delete",
                                      "settlement.goal"),
    "settlement.refer": Audited(lambda t: settlement.refer(
        actor=t.owner, case=t.case, provider=t.provider, domain="language", referred_on=dt.date(2025, 4, 1)),
        "create", "settlement.referral"),
    "settlement.update_referral_status": Audited(lambda t: settlement.update_referral_status(
        actor=t.owner, referral=t.referral, status="attending", changed_on=dt.date(2025, 3, 10)), "update",
        "settlement.referral"),
    "settlement.delete_referral": Audited(lambda t: settlement.delete_referral(actor=t.owner, referral=t.referral),
                                          "delete", "settlement.referral"),
    "settlement.record_milestone": Audited(lambda t: settlement.record_milestone(
        actor=t.owner, case=t.case, kind="sin", done_on=dt.date(2025, 3, 1)), "create", "settlement.milestone"),
    "settlement.clear_milestone": Audited(lambda t: settlement.clear_milestone(actor=t.owner, milestone=t.milestone),
                                          "delete", "settlement.milestone"),
    "settlement.record_monthly_budget": Audited(lambda t: settlement.record_monthly_budget(
        actor=t.owner, case=t.case, month=dt.date(2025, 5, 1), income=Decimal("2500"), needs=Decimal("2400")),
        "create", "settlement.monthlybudget"),
    "settlement.delete_monthly_budget": Audited(lambda t: settlement.delete_monthly_budget(
        actor=t.owner, entry=t.budget), "delete", "settlement.monthlybudget"),
    "settlement.designate_worker": Audited(lambda t: settlement.designate_worker(
        actor=t.admin, case=t.case, user=t.colleague), "create", "settlement.designatedworker"),
    "settlement.remove_designation": Audited(lambda t: settlement.remove_designation(
        actor=t.admin, designation=t.designation), "delete", "settlement.designatedworker"),
    "settlement.add_restricted_note": Audited(lambda t: settlement.add_restricted_note(
        actor=t.owner, case=t.case, topic="mental_health", body="Sweep."), "create", "settlement.restrictednote"),
    "settlement.delete_restricted_note": Audited(lambda t: settlement.delete_restricted_note(
        actor=t.owner, note=t.restricted_note), "delete", "settlement.restrictednote"),
}

# Validators: `check_<action>` raises ValidationError and writes nothing; the action that calls it audits.
VALIDATOR_PREFIX = "check_"

# Public functions of services modules that write no audit row, and why: reads and the audit log's own helpers.
# Pure helpers live beside what they compute (people.derived, claims.events, stats.loading, ...), not here.
NOT_AUDITED = {
    "funds.locked_trust": "reads a sponsor group's trust under a row lock for the ledger's writes, which audit",
    "funds.trust_group": "pure: which sponsor group's trust a gift goes to",
    "accounts.find_team": "a read: the team a command names, refused by field when there is none",
    "audit.created_fields": "the audit log's own change-set helper: computes, writes nothing",
    "audit.diff": "the audit log's own change-set helper: computes, writes nothing",
    "audit.event_for": "builds an Event for record_events: writes nothing",
    "audit.object_label": "the object type written in a row: computes, writes nothing",
    "audit.snapshot": "the audit log's own change-set helper: computes, writes nothing",
    "claims.removal_refusal": "a read: why a step may not be removed (the correction page shows it; remove_event "
                              "refuses with it), writes nothing",
    "demo.existing_result": "a read: the demo's logins",
    "demo.is_loaded": "a read: whether the demo is there",
}


def services_modules() -> Iterator[tuple[str, ModuleType]]:
    """(app, module) for every `haven.<app>.services` module and every module of a `services` package."""
    for app in pkgutil.iter_modules(haven.__path__):
        if not app.ispkg:
            continue
        try:
            module = importlib.import_module(f"haven.{app.name}.services")
        except ModuleNotFoundError as missing:
            if missing.name != f"haven.{app.name}.services":
                raise
            continue
        yield app.name, module
        for sub in pkgutil.walk_packages(getattr(module, "__path__", []), prefix=f"{module.__name__}."):
            yield app.name, importlib.import_module(sub.name)


def public_services() -> dict[str, Callable]:
    """"app.function" → function, for the public functions defined in the services modules (not imported)."""
    found = {}
    for app, module in services_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__:
                found[f"{app}.{name}"] = function
    return found


class AuditSweepTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The Maple claim (its steps, issue and evidence), and one record of each kind the removal services
        # take, all made before the sweep so that its counts see only the service called.
        cls.claim = claims_testing.maple_claim(cls)
        cls.spouse = PersonFactory(household=cls.household, family_name="Ri", given_name="Sweep spouse",
                                   relationship="spouse", sex="F")
        cls.document = IdentityDocument.objects.create(person=cls.person, kind=IdentityDocument.Kind.UNHCR,
                                                       number="UNHCR-123-456")
        cls.language = PersonLanguage.objects.create(person=cls.person, language="kor")
        cls.other_name = PersonName.objects.create(person=cls.person, family_name="Lee", given_name="Myeong-cheol")
        spellings = [PersonFactory(household=cls.household, family_name=family, given_name="Myŏng-chŏl",
                                   birth_date=cls.person.birth_date, relationship="other_relative")
                     for family in ("Rhee", "Yi", "Lee")]
        cls.candidate = MatchCandidate.objects.create(organization=cls.org, person_a=cls.person,
                                                      person_b=spellings[0], match_probability=0.97,
                                                      match_weight=8.5, comparisons=[])
        cls.merge = matching.merge_persons(actor=cls.owner, kept=spellings[1], absorbed=spellings[2])
        maple_settlement(cls)
        build_work(cls)

    def test_every_public_service_is_swept(self):
        services = public_services()
        self.assertIn("cases.add_note", services, "the enumeration finds the services")
        missing = sorted(name for name in services if name not in SWEEP and name not in NOT_AUDITED
                         and not name.split(".", 1)[1].startswith(VALIDATOR_PREFIX))
        self.assertEqual(missing, [], "public services with no line in SWEEP (tests/test_audit_sweep.py): "
                                      "add one that calls it and names the audit row it writes")

    def test_sweep_table_has_no_stale_entries(self):
        services = public_services()
        self.assertEqual(sorted(name for name in (*SWEEP, *NOT_AUDITED) if name not in services), [],
                         "entries naming no public service any more: rename or remove them")
        self.assertEqual(sorted(set(SWEEP) & set(NOT_AUDITED)), [])

    def test_every_swept_service_writes_its_audit_row(self):
        problems = []
        for name, case in SWEEP.items():
            problem = self.run_case(name, case)
            if problem:
                problems.append(problem)
        self.assertEqual(problems, [], f"{len(problems)} service(s) without their audit row:\n" + "\n".join(problems))

    def run_case(self, name: str, case: Audited) -> str:
        """Call one service in a savepoint rolled back afterwards; a description of what is wrong, or ""."""
        with transaction.atomic():
            last = AuditEntry.objects.aggregate(last=Max("seq"))["last"] or 0
            try:
                case.call(self)
            except Exception as exc:  # reported with the service's name, with every other failure
                transaction.set_rollback(True)
                return f"{name}: raised {exc!r}"
            written = list(AuditEntry.objects.filter(seq__gt=last).values_list("action", "object_type"))
            transaction.set_rollback(True)
        if (case.action, case.object_type) not in written:
            return f"{name}: expected a ({case.action!r}, {case.object_type!r}) row, wrote {sorted(set(written))}"
        return ""
