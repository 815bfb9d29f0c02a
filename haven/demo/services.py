"""`haven demo load`: two organizations, a user for every role, ~30 synthetic households with cases,
assignments, notes and attachments, and protection claims for the legal clinic's cases (at every stage, dated
from the load date so their deadlines are live), all written through the services (so the audit log is
complete and the deadlines are computed).

Loading is idempotent: if the demo organizations exist, nothing is written.
Passwords are fixed, documented strings only when settings.DEBUG is on (a
laptop); otherwise each user gets a random password printed once. Loading is
refused outright when HAVEN_ENV=production.
"""
from __future__ import annotations

import base64
import datetime as dt
import random
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.models import Membership, Organization, Role, Team
from haven.audit.models import Action
from haven.audit.services import event_for, record_events
from haven.cases import services as case_services
from haven.cases.models import Attachment, Case, CaseAssignment
from haven.claims import services as claim_services
from haven.claims.deadlines import load_rules
from haven.claims.models import Claim
from haven.demo.casework import add_clinic_casework, add_demo_casework
from haven.demo.funds import load_funds
from haven.demo.generator import (
    SURNAMES,
    GeneratedClaim,
    GeneratedHousehold,
    demo_password,
    generate_claims,
    generate_households,
    name_forms,
)
from haven.demo.settlement import add_settlement_demo
from haven.demo.sponsorship import load_sponsorship_demo
from haven.matching import services as matching_services
from haven.people import services as people_services
from haven.people.models import Person, Relationship
from haven.records.dates import today_for
from haven.transfer.services import import_people

DEMO_SEED = 2026
# Invented names: a real organization's name on synthetic records would mislead.
SAH = ("Maplebridge Sponsorship Society", "maplebridge")
CLINIC = ("Harbour Refugee Legal Clinic", "harbour-clinic")
SPONSOR_GROUPS = ("Toronto Group of Five", "Vancouver Constituent Group", "Ottawa Church Sponsors")
SAH_HOUSEHOLDS, CLINIC_HOUSEHOLDS = 20, 10
ADMIN_USERNAME = "demo-admin"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    organization_slug: str
    team: str = ""
    first_name: str = ""
    last_name: str = ""


DEMO_USERS = (
    DemoUser(ADMIN_USERNAME, Role.ADMIN, SAH[1], first_name="Hana", last_name="Admin"),
    DemoUser("demo-caseworker", Role.CASEWORKER, SAH[1], first_name="Min-ji", last_name="Caseworker"),
    DemoUser("demo-volunteer", Role.VOLUNTEER, SAH[1], team=SPONSOR_GROUPS[0], first_name="Tom",
             last_name="Volunteer"),
    DemoUser("demo-volunteer2", Role.VOLUNTEER, SAH[1], team=SPONSOR_GROUPS[1], first_name="Grace",
             last_name="Volunteer"),
    DemoUser("demo-analyst", Role.ANALYST, SAH[1], first_name="Ana", last_name="Analyst"),
    DemoUser("demo-lawyer", Role.LEGAL_REP, CLINIC[1], first_name="Jae", last_name="Counsel"),
    DemoUser("demo-clinic-caseworker", Role.CASEWORKER, CLINIC[1], first_name="Sam", last_name="Caseworker"),
)

OPEN_NOTES = (
    "Airport pickup arranged with the sponsor group; interpreter (Korean) confirmed.",
    "Family moved into the apartment; health card applications submitted.",
    "Monthly settlement visit done; English classes start next month.",
    "Sponsor group meeting: budget for the first year reviewed.",
)
CONFIDENTIAL_NOTES = (
    "Disclosed detention and forced repatriation from China at intake; refer to trauma counsellor.",
    "Relatives still in Hyesan; do not share the family's location or photos.",
    "Disclosed gender-based violence during transit; referred to a women's support service.",
    "Broker debt in Thailand; monitor for pressure from the broker's contacts.",
)
SETTLEMENT_PLAN = (b"Settlement plan (synthetic demo data)\n\n"
                   b"Month 1: housing, health cards, bank account, SIN.\n"
                   b"Month 2: English classes, school enrolment, family doctor.\n")
BOC_NARRATIVE = ("Basis of Claim narrative (synthetic demo data)\n\n"
                 "I left North Korea across the Tumen river and lived without status in China before travelling to "
                 "Canada. I never lived in South Korea, never applied for a South Korean passport and was never "
                 "registered as a South Korean national.\n").encode("utf-8")


class DemoRefused(Exception):
    """Demo data may not be loaded here (production, or data already present)."""


@dataclass
class Credential:
    role: str
    username: str
    password: str
    organization: str


@dataclass
class DemoResult:
    already_loaded: bool
    credentials: list[Credential] = field(default_factory=list)
    totp_secret: str = ""
    households: int = 0
    cases: int = 0
    persons: int = 0
    claims: int = 0
    sponsorship_applications: int = 0
    fixed_passwords: bool = False


def _totp_secret(user) -> str:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return base64.b32encode(device.bin_key).decode("ascii") if device else ""


def _check_allowed() -> None:
    if getattr(settings, "HAVEN_ENV", "") == "production" or getattr(settings, "PRODUCTION", False):
        raise DemoRefused("Refused: demo data is never loaded when HAVEN_ENV=production.")


def is_loaded() -> bool:
    return Organization.objects.filter(slug__in=[SAH[1], CLINIC[1]]).exists()


def existing_result() -> DemoResult:
    fixed = settings.DEBUG
    names = dict(Organization.objects.filter(slug__in=[SAH[1], CLINIC[1]]).values_list("slug", "name"))
    admin = get_user_model().objects.filter(username=ADMIN_USERNAME).first()
    return DemoResult(
        already_loaded=True, fixed_passwords=fixed, totp_secret=_totp_secret(admin) if admin else "",
        credentials=[Credential(user.role, user.username, demo_password(user.username) if fixed else "",
                                names.get(user.organization_slug, user.organization_slug)) for user in DEMO_USERS],
    )


def load_demo(*, seed: int = DEMO_SEED) -> DemoResult:
    """Create the demo data once; return the logins. Raises DemoRefused in production."""
    _check_allowed()
    if is_loaded():
        with transaction.atomic():
            added = _add_missing_claims(seed)
        result = existing_result()
        result.claims = added
        return result
    with transaction.atomic():
        return _load(seed)


def _clinic_batch(seed: int) -> list[GeneratedHousehold]:
    return generate_households(seed=seed + 1, households=CLINIC_HOUSEHOLDS, key_prefix="HRLC-HH",
                               reference_prefix="HRLC-2025", case_kind="protection_claim")


def _add_missing_claims(seed: int) -> int:
    """A demo loaded before claims were part of it gets them once: only when none of the clinic's demo cases
    has a claim yet (so loading again and again changes nothing)."""
    clinic = Organization.objects.filter(slug=CLINIC[1]).first()
    users = {user.username: user for user in get_user_model().objects.filter(
        username__in=["demo-lawyer", "demo-clinic-caseworker"])}
    if clinic is None or len(users) < 2:
        return 0
    households = _clinic_batch(seed)
    cases = list(Case.objects.filter(organization=clinic, kind=Case.Kind.PROTECTION_CLAIM,
                                     household__reference__in=[h.key for h in households])
                 .select_related("household").order_by("reference"))
    if len(cases) != len(households) or Claim.objects.filter(case__in=cases).exists():
        return 0
    return _add_claims(seed + 2, households, cases, lawyer=users["demo-lawyer"],
                       caseworker=users["demo-clinic-caseworker"], today=today_for(clinic))


def _make_organizations_and_logins(fixed: bool, result: DemoResult) -> tuple[Organization, Organization, dict]:
    """The two demo organizations, their teams and the demo logins, each audited as created (by no one: the demo
    command), like the people, cases and claims the services then make for them. No password enters the log."""
    created = []
    sah = Organization.objects.create(name=SAH[0], slug=SAH[1], kind=Organization.Kind.SPONSORSHIP)
    clinic = Organization.objects.create(name=CLINIC[0], slug=CLINIC[1], kind=Organization.Kind.LEGAL_CLINIC)
    orgs = {sah.slug: sah, clinic.slug: clinic}
    staff = [Team.objects.create(organization=sah, name="Settlement staff", kind=Team.Kind.STAFF),
             Team.objects.create(organization=clinic, name="Refugee law team", kind=Team.Kind.STAFF)]
    groups = {name: Team.objects.create(organization=sah, name=name, kind=Team.Kind.SPONSOR_GROUP)
              for name in SPONSOR_GROUPS}
    created += [sah, clinic, *staff, *groups.values()]

    users = {}
    for spec in DEMO_USERS:
        password = demo_password(spec.username) if fixed else secrets.token_urlsafe(12)
        user = get_user_model()(username=spec.username, first_name=spec.first_name, last_name=spec.last_name,
                                email=f"{spec.username}@example.org")
        user.set_password(password)
        user.save()
        created += [user, Membership.objects.create(user=user, organization=orgs[spec.organization_slug],
                                                    role=spec.role, team=groups.get(spec.team))]
        users[spec.username] = user
        result.credentials.append(Credential(spec.role, spec.username, password, orgs[spec.organization_slug].name))
    admin = users[ADMIN_USERNAME]
    TOTPDevice.objects.create(user=admin, name="Demo authenticator", confirmed=True)
    result.totp_secret = _totp_secret(admin)
    record_events(actor=None, events=[event_for(Action.CREATE, obj, summary=f"demo: {obj}") for obj in created])
    return sah, clinic, users


def _load(seed: int) -> DemoResult:
    fixed = bool(settings.DEBUG)
    result = DemoResult(already_loaded=False, fixed_passwords=fixed)
    sah, clinic, users = _make_organizations_and_logins(fixed, result)

    caseworker, lawyer = users["demo-caseworker"], users["demo-lawyer"]
    clinic_worker = users["demo-clinic-caseworker"]
    batches = (
        (sah, caseworker, generate_households(seed=seed, households=SAH_HOUSEHOLDS, key_prefix="MB-HH",
                                              reference_prefix="MB-2025", case_kind="sponsorship",
                                              sponsor_groups=SPONSOR_GROUPS)),
        (clinic, lawyer, _clinic_batch(seed)),
    )
    rng = random.Random(seed)
    for organization, actor, households in batches:
        rows = [member.row for household in households for member in household.members]
        imported = import_people(actor=actor, organization=organization, rows=rows, source="demo data")
        result.households += imported.households
        result.cases += imported.cases
        result.persons += imported.persons
        cases = list(Case.objects.filter(pk__in=imported.case_ids).select_related("household", "sponsor_group")
                     .order_by("reference"))
        _add_documents(actor, households, cases)
        _add_case_work(rng, organization, cases, users=users, caseworker=caseworker if organization == sah
                       else clinic_worker, lawyer=lawyer)
        if organization == clinic:
            result.claims = _add_claims(seed + 2, households, cases, lawyer=lawyer, caseworker=clinic_worker,
                                        today=today_for(clinic))
            add_clinic_casework(cases=cases, caseworker=clinic_worker, lawyer=lawyer)
        else:
            result.persons += _add_duplicate_registration(caseworker, cases)
            add_demo_casework(cases=cases, caseworker=caseworker, volunteer=users["demo-volunteer"])
            # The first sponsored family has arrived: its settlement plan is under way.
            add_settlement_demo(organization=sah, case=cases[0], caseworker=caseworker,
                                admin=users[ADMIN_USERNAME], today=today_for(sah))
    # The likely-duplicates queue starts with that pair waiting for review, as after a nightly check.
    matching_services.run_batch(actor=caseworker, organization=sah)
    result.sponsorship_applications = load_sponsorship_demo(
        organization=sah, groups=[Team.objects.get(organization=sah, name=name) for name in SPONSOR_GROUPS],
        actor=caseworker,
        approver=users[ADMIN_USERNAME], today=today_for(sah))
    load_funds(organization=sah, caseworker=caseworker, approver=users[ADMIN_USERNAME], seed=seed)
    return result


def _add_duplicate_registration(actor, cases) -> int:
    """The first household's principal applicant registered a second time, as a relative in another household,
    her names romanized another way (the generator's own forms): the case the likely-duplicates review exists
    for."""
    first, other = cases[0].household, cases[len(cases) // 2].household
    person = Person.objects.filter(household=first, relationship=Relationship.PRINCIPAL).order_by("pk").first()
    surname = next((s for s in SURNAMES if person and person.family_name_hangul in (s.north, s.south)), None)
    if surname is None or first.pk == other.pk:
        return 0
    spelling = next(((family, given) for family, given in name_forms(surname, person.given_name_hangul).values()
                     if family.isascii() and family != person.family_name), None)
    if spelling is None:  # a surname written one way only (Han): no second spelling to register her under
        return 0
    family, given = spelling
    people_services.create_person(actor=actor, household=other, data={
        "relationship": Relationship.OTHER_RELATIVE, "family_name": family, "given_name": given,
        "family_name_hangul": person.family_name_hangul, "given_name_hangul": person.given_name_hangul,
        "sex": person.sex, "birth_date": person.birth_date, "birth_date_precision": person.birth_date_precision,
        "birth_place": person.birth_place, "birth_country": person.birth_country,
    })
    return 1


def _add_documents(actor, households, cases) -> None:
    by_household = {case.household.reference: case.household_id for case in cases}
    for household in households:
        people = list(Person.objects.filter(household_id=by_household[household.key]).order_by("pk"))
        for person, member in zip(people, household.members):
            for document in member.documents:
                people_services.add_identity_document(
                    actor=actor, person=person, kind=document.kind, issuing_country=document.issuing_country,
                    number=document.number)


def _add_case_work(rng: random.Random, organization, cases, *, users, caseworker, lawyer) -> None:
    for index, case in enumerate(cases):
        if index % 2 == 0 or case.kind == Case.Kind.PROTECTION_CLAIM:
            case_services.assign_worker(actor=caseworker, case=case, user=caseworker, role=CaseAssignment.Role.LEAD)
        if case.kind == Case.Kind.PROTECTION_CLAIM or index in (1, 4):
            # Counsel from the clinic on some sponsorship cases too: access across organizations.
            case_services.assign_worker(actor=caseworker, case=case, user=lawyer, role=CaseAssignment.Role.COUNSEL)
        case_services.add_note(actor=caseworker, case=case, body=rng.choice(OPEN_NOTES), confidential=False)
        if index % 3 == 0:
            case_services.add_note(actor=caseworker, case=case, body=rng.choice(CONFIDENTIAL_NOTES),
                                   confidential=True)
        if index % 7 == 3:
            case_services.update_case(actor=caseworker, case=case, status=Case.Status.ON_HOLD)
        elif index % 7 == 5:
            closed = min(case.opened_on + dt.timedelta(days=rng.randint(200, 500)), dt.date(2026, 1, 1))
            case_services.update_case(actor=caseworker, case=case, status=Case.Status.CLOSED,
                                      closed_on=max(closed, case.opened_on))
        if index == 0:
            case_services.add_attachment(actor=caseworker, case=case, filename="settlement-plan.txt",
                                         content=SETTLEMENT_PLAN, content_type="text/plain",
                                         kind=Attachment.Kind.FORM, description="First-year settlement plan",
                                         confidential=False)
        if index == 1:
            case_services.add_attachment(actor=caseworker, case=case, filename="intake-summary.txt",
                                         content=b"Intake summary (synthetic demo data): escape route via "
                                                 b"China and Laos to Thailand.\n",
                                         content_type="text/plain", kind=Attachment.Kind.EVIDENCE,
                                         confidential=True)


def _add_claims(seed: int, households, cases, *, lawyer, caseworker, today: dt.date) -> int:
    """A protection claim for each of the clinic's cases, through the claims services (so the steps are checked
    by the lifecycle, audited, and their deadlines computed). Dates count back from `today`, the load date, so
    the demo lawyer's deadlines page shows deadlines due soon and overdue."""
    by_key = {case.household.reference: case for case in cases}
    finished = {key for key, case in by_key.items() if case.status == Case.Status.CLOSED}
    rules = load_rules()
    planned: list[GeneratedClaim] = generate_claims(seed=seed, households=households, today=today,
                                                    finished=finished)
    for plan in planned:
        case = by_key[plan.household_key]
        people = list(Person.objects.filter(household_id=case.household_id).order_by("pk"))
        claimant = next((p for p in people if p.relationship == "principal"), people[0])
        claim = claim_services.create_claim(
            actor=lawyer, case=case, reference=plan.reference, claimant=claimant,
            members=[p for p in people if p.pk != claimant.pk], country_of_persecution="KP",
            province=plan.province, rules=rules)
        for step in plan.steps:
            claim_services.record_event(actor=lawyer, claim=claim, type=step.type, occurred_on=step.occurred_on,
                                        rules=rules, **step.details)
        boc = None
        if any(step.type == "boc_filed" for step in plan.steps):
            # The BOC narrative, the statement the nationality checklist's first item asks for.
            boc = case_services.add_attachment(
                actor=lawyer, case=case, filename=f"BOC-{plan.reference}.txt", content=BOC_NARRATIVE,
                content_type="text/plain", kind=Attachment.Kind.FORM, confidential=True,
                description="Basis of Claim narrative, as filed with the RPD (synthetic)")
        for generated in plan.issues:
            issue = claim_services.add_issue(actor=lawyer, claim=claim, kind=generated.kind, notes=generated.notes)
            for position, (item, status) in enumerate(zip(issue.evidence.order_by("pk"), generated.evidence)):
                attach = [boc] if boc and position == 0 and generated.kind == "rok_nationality" \
                    and status in ("obtained", "filed") else None
                if status != item.status or attach:
                    claim_services.update_evidence_item(actor=caseworker, item=item, status=status,
                                                        attachments=attach)
    _add_member_decision(by_key.values(), lawyer=lawyer, today=today)
    return len(planned)


def _add_member_decision(cases, *, lawyer, today: dt.date) -> None:
    """One joined family decided person by person (RPD Rules r.55): in the first accepted claim with a joined
    member, the member's own claim rejected, so the lawyer sees that member's own RAD deadlines beside the
    claim's. The member's decision is dated a week ago, with reasons the same day, so the appeal is due soon."""
    accepted = (Claim.objects.filter(case__in=list(cases), outcome="accepted", claimants__is_principal=False)
                .order_by("reference").first())
    if accepted is None:
        return
    member = accepted.claimants.filter(is_principal=False).order_by("pk").first()
    decided = max(accepted.outcome_on, today - dt.timedelta(days=7))
    claim_services.record_member_decision(actor=lawyer, claimant=member, outcome="rejected", outcome_on=decided,
                                          reasons_received_on=decided)
