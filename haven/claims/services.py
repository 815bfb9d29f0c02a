"""Writes to claims, their events, legal issues and deadlines: validate, save, audit, in one transaction.

Callers fetch the claim through haven.claims.selectors.get_claim_for_user
(which goes through the case's access rules) with write=True first; these
functions do not re-check access.

Every change to a claim's events replays the whole event list through the state
machine (haven.claims.lifecycle), refreshes the claim's summary fields and
recomputes its Deadline rows from the rules in force.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haven.audit.models import Action
from haven.audit.services import created_fields, diff, record, snapshot
from haven.claims.deadlines import RuleSet, load_rules
from haven.claims.checklists import CHECKLISTS  # noqa: F401  (re-exported: the tests read services.CHECKLISTS)
from haven.claims.events import check_step_details, claim_facts, event_version
from haven.claims.intake import INTAKE_FIELDS, set_intake
from haven.claims.lifecycle import StepRefused, ordered, replay
from haven.claims.models import (
    Claim,
    ClaimEvent,
    Deadline,
    DeadlineRule,
    EventType,
    EvidenceItem,
    IntakeRoute,
    JoinedClaimant,
    LegalIssue,
    Outcome,
    Province,
)
from haven.claims.planning import (  # noqa: F401  (Ev and EV_FIELDS: re-exported for the tests and bench)
    EV_FIELDS,
    DeadlinePlanner,
    Ev,
    desired_deadlines,
)
from haven.claims.recompute import recompute_all_deadlines, recompute_claim_deadlines
from haven.claims.step_checks import (
    HAPPENED_FIELDS,
    check_destination,
    check_happened,
    check_step_claimant,
    country,
    replay_claim,
)
from haven.people.models import Person
from haven.records import check_version, save_versioned
from haven.records.dates import check_not_future, today_for
from haven.records.text import check_safe_fields, check_safe_text

EVENT_FIELDS = ("claimant_id", "type", "occurred_on", "received_on", "scheduled_for", "appellant", "ground", "substituted_outcome",
                "bar_exempt", "order_kind", "ineligibility", "destination_country", "destination_confirmed", "note")
CLAIM_FIELDS = ("reference", "claimant", "country_of_persecution", "province", "referred_on", "outcome",
                "outcome_on")


# ------------------------------------------------------------------ claims

def _check_people(case, claimant: Person, members: Iterable[Person]) -> list[Person]:
    if claimant.household_id != case.household_id:
        raise ValidationError({"claimant": _("The claimant must be a member of the case's household.")})
    members = [m for m in members if m.pk != claimant.pk]
    if any(m.household_id != case.household_id for m in members):
        raise ValidationError({"members": _("Joined claimants must be members of the case's household.")})
    return members


@transaction.atomic
def create_claim(*, actor, case, reference: str, claimant: Person, country_of_persecution: str,
                 province: str = Province.ON, members: Iterable[Person] = (), referred_on: dt.date | None = None,
                 designated_foreign_national: bool = False, stca_exception: bool = False,
                 intake_route: str = IntakeRoute.PORT_OF_ENTRY, entered_canada_on: dt.date | None = None,
                 us_land_crossing: str = "", claim_made_on: dt.date | None = None,
                 rules: RuleSet | None = None) -> Claim:
    members = _check_people(case, claimant, members)
    check_not_future(referred_on, organization=case.organization, field="referred_on")
    claim = Claim(case=case, reference=(reference or "").strip(), claimant=claimant,
                  country_of_persecution=country(country_of_persecution, "country_of_persecution"),
                  province=(province or "").strip().upper(),
                  designated_foreign_national=bool(designated_foreign_national), stca_exception=bool(stca_exception))
    set_intake(claim, {"intake_route": intake_route or "", "entered_canada_on": entered_canada_on,
                        "us_land_crossing": us_land_crossing or "", "claim_made_on": claim_made_on}, referred_on)
    check_safe_fields(claim)
    claim.full_clean(exclude=["case", "claimant"])
    claim.save()
    if members:
        claim.members.set(members)
    JoinedClaimant.objects.bulk_create([JoinedClaimant(claim=claim, person=claimant, is_principal=True),
                                        *(JoinedClaimant(claim=claim, person=member) for member in members)])
    record(actor=actor, action=Action.CREATE, obj=claim, case_id=case.pk,
           changes=created_fields({**snapshot(claim, ("reference", "country_of_persecution", "province",
                                                      *FACT_FIELDS, *INTAKE_FIELDS)),
                                   "claimant": claimant.pk, "members": [m.pk for m in members]}))
    if referred_on:
        record_event(actor=actor, claim=claim, type=EventType.REFERRAL, occurred_on=referred_on, rules=rules)
    return claim


# The claim's own facts that change its proceedings (IRPA s.110(2)(a), (d)).
FACT_FIELDS = ("designated_foreign_national", "stca_exception")
UPDATABLE_FIELDS = ("country_of_persecution", "province", *FACT_FIELDS, *INTAKE_FIELDS)


@transaction.atomic
def update_claim(*, actor, claim: Claim, country_of_persecution: str | None = None, province: str | None = None,
                 members: Iterable[Person] | None = None, designated_foreign_national: bool | None = None,
                 stca_exception: bool | None = None, expected_version: int | None = None, **intake: Any) -> Claim:
    """`expected_version`: the version the writer read (haven.records.versioning); None for internal jobs.
    A change of the facts that bar the RAD replays the claim's steps: it is refused if a recorded step (an appeal to
    the RAD) would no longer be allowed. `intake`: any of INTAKE_FIELDS to change (a change of route recomputes the
    claim's deadlines)."""
    check_version(claim, expected_version)
    unknown = set(intake) - set(INTAKE_FIELDS)
    if unknown:
        raise TypeError(f"update_claim() got unexpected fields {sorted(unknown)}")
    old = snapshot(claim, UPDATABLE_FIELDS)
    if country_of_persecution is not None:
        claim.country_of_persecution = country(country_of_persecution, "country_of_persecution")
    if province is not None:
        claim.province = province.strip().upper()
    for name, value in (("designated_foreign_national", designated_foreign_national),
                        ("stca_exception", stca_exception)):
        if value is not None:
            setattr(claim, name, bool(value))
    set_intake(claim, intake)
    claim.full_clean(exclude=["case", "claimant"])
    changes = diff(old, snapshot(claim, UPDATABLE_FIELDS))
    facts_changed = any(name in changes for name in FACT_FIELDS)
    if facts_changed:
        _replay(claim, _locked_events(claim), load_rules())
    if members is not None:
        members = _check_people(claim.case, claim.claimant, members)
        before = sorted(claim.members.values_list("pk", flat=True))
        after = sorted(m.pk for m in members)
        if before != after:
            _check_members_removable(claim, set(before) - set(after))
            claim.members.set(members)
            _sync_member_rows(claim, after)
            changes["members"] = {"old": before, "new": after}
    if changes:
        save_versioned(claim, expected_version=expected_version, update_fields=[*UPDATABLE_FIELDS, "updated_at"])
        record(actor=actor, action=Action.UPDATE, obj=claim, case_id=claim.case_id, changes=changes)
        if facts_changed:
            _sync_claim(claim, list(claim.events.all()), load_rules())
        elif "province" in changes or "intake_route" in changes:
            recompute_claim_deadlines(claim=claim)
    return claim


# ------------------------------------------------------------------ each person's decision (RPD Rules r.55)

def _claim_decision(claim: Claim) -> dict[str, Any]:
    """The claim's decision as its principal claimant's record holds it (outcome, date, reasons date)."""
    principal = claim.claimants.filter(is_principal=True).first()
    reasons = principal.reasons_received_on if principal else None
    return {"outcome": claim.outcome, "outcome_on": claim.outcome_on, "reasons_received_on": reasons}


def _check_members_removable(claim: Claim, removed: set[int]) -> None:
    """A member whose own decision is recorded stays in the file: removing them would lose that decision."""
    kept = claim.claimants.filter(person_id__in=removed, own_decision=True).select_related("person")
    names = ", ".join(str(row.person) for row in kept)
    if names:
        raise ValidationError({"members": _("%(names)s cannot be removed from the claim: a decision of their own is "
                                            "recorded (RPD Rules r.55). Record that they follow the claim's decision "
                                            "first.") % {"names": names}})


def _sync_member_rows(claim: Claim, member_ids: list[int]) -> None:
    """Add a following record for each new member and delete the records of members who left (all following)."""
    claim.claimants.filter(is_principal=False).exclude(person_id__in=member_ids).delete()
    present = set(claim.claimants.values_list("person_id", flat=True))
    decision = _claim_decision(claim)
    JoinedClaimant.objects.bulk_create([JoinedClaimant(claim=claim, person_id=pk, **decision)
                                        for pk in member_ids if pk not in present])


def _refresh_following(claim: Claim, reasons_on: dt.date | None) -> None:
    """The principal's record, and every member's that follows the claim, take the claim's decision."""
    claim.claimants.filter(own_decision=False).update(
        outcome=claim.outcome, outcome_on=claim.outcome_on,
        reasons_received_on=reasons_on if claim.outcome else None)


def check_record_member_decision(*, claimant: JoinedClaimant, outcome: str, outcome_on: dt.date | None,
                                 reasons_received_on: dt.date | None = None) -> None:
    """A joined member's own RPD decision: a finalizing outcome and its date, on or after the referral and not in
    the future; the reasons cannot be received before the decision. The principal claimant's decision is a step
    of the claim (its timeline), not recorded here."""
    if claimant.is_principal:
        raise ValidationError({"outcome": _("The principal claimant's decision is recorded as a step of the claim; "
                                            "this form records a joined member's own decision.")})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the member's outcome.")})
    if outcome_on is None:
        raise ValidationError({"outcome_on": _("Give the date of the decision.")})
    claim = claimant.claim
    if claim.referred_on is None or outcome_on < claim.referred_on:
        raise ValidationError({"outcome_on": _("A decision cannot be dated before the claim's referral to the RPD "
                                               "(IRPA s.100).")})
    if reasons_received_on is not None and reasons_received_on < outcome_on:
        raise ValidationError({"reasons_received_on": _("Reasons cannot be received before the decision is made.")})
    organization = claim.case.organization
    today = today_for(organization)
    check_not_future(outcome_on, organization=organization, field="outcome_on", today=today)
    check_not_future(reasons_received_on, organization=organization, field="reasons_received_on", today=today)


CLAIMANT_FIELDS = ("own_decision", "outcome", "outcome_on", "reasons_received_on")


@transaction.atomic
def record_member_decision(*, actor, claimant: JoinedClaimant, outcome: str, outcome_on: dt.date,
                           reasons_received_on: dt.date | None = None,
                           expected_version: int | None = None) -> JoinedClaimant:
    """Record a joined member's own decision; from then on the member's outcome no longer follows the claim's.
    `expected_version`: the version of the member's record the writer's page showed (None for internal jobs)."""
    check_version(claimant, expected_version)
    check_record_member_decision(claimant=claimant, outcome=outcome, outcome_on=outcome_on,
                                 reasons_received_on=reasons_received_on)
    old = snapshot(claimant, CLAIMANT_FIELDS)
    claimant.own_decision, claimant.outcome, claimant.outcome_on = True, outcome, outcome_on
    claimant.reasons_received_on = reasons_received_on
    _check_member_steps(claimant)
    return _save_claimant(actor=actor, claimant=claimant, old=old, expected_version=expected_version,
                          summary=f"{claimant.claim.reference}: decision of person {claimant.person_id}")


def _save_claimant(*, actor, claimant: JoinedClaimant, old: dict, expected_version: int | None,
                   summary: str) -> JoinedClaimant:
    """Save a member's changed decision fields, write the audit row and recompute the claim's deadlines."""
    save_versioned(claimant, expected_version=expected_version, update_fields=[*CLAIMANT_FIELDS, "updated_at"])
    record(actor=actor, action=Action.UPDATE, obj=claimant, case_id=claimant.claim.case_id, summary=summary,
           changes=diff(old, snapshot(claimant, CLAIMANT_FIELDS)))
    recompute_claim_deadlines(claim=claimant.claim)
    return claimant


def _check_member_steps(claimant: JoinedClaimant) -> None:
    """The member's own steps still follow from their (changed) decision; refused with the reason otherwise."""
    claim = claimant.claim
    _replay(claim, _locked_events(claim), load_rules(), members=[claimant])


@transaction.atomic
def follow_claim_decision(*, actor, claimant: JoinedClaimant, expected_version: int | None = None) -> JoinedClaimant:
    """Undo a member's own decision: the member's record follows the claim's decision again (the audit log keeps
    the decision that was recorded)."""
    check_version(claimant, expected_version)
    if claimant.events.exists():
        raise ValidationError(_("Steps of this member's own are recorded after their decision (an appeal, a leave "
                                "application...): remove them before the member follows the claim's decision "
                                "again."))
    old = snapshot(claimant, CLAIMANT_FIELDS)
    claimant.own_decision = False
    for name, value in _claim_decision(claimant.claim).items():
        setattr(claimant, name, value)
    return _save_claimant(actor=actor, claimant=claimant, old=old, expected_version=expected_version,
                          summary=f"{claimant.claim.reference}: person {claimant.person_id} follows the claim's "
                                  "decision")


# ------------------------------------------------------------------ events

def _replay(claim: Claim, events: list, rules: RuleSet, members: list[JoinedClaimant] | None = None):
    """The claim's state after its own steps; refused (ValidationError) if any timeline of the claim, its own or a
    joined member's, no longer replays. `events`: every step of the claim, the members' included."""
    try:
        return replay_claim(claim, events, rules, members)
    except StepRefused as exc:
        raise ValidationError(exc.message) from None


def _sync_claim(claim: Claim, events: list, rules: RuleSet) -> None:
    state = _replay(claim, events, rules)
    referrals = [e.occurred_on for e in ordered(events) if e.type == EventType.REFERRAL and e.claimant_id is None]
    claim.referred_on = referrals[0] if referrals else None
    claim.outcome, claim.outcome_on, claim.stage = state.outcome, state.outcome_on, state.stage
    claim.save(update_fields=["referred_on", "outcome", "outcome_on", "stage", "updated_at"])
    _refresh_following(claim, state.reasons_on)
    recompute_claim_deadlines(claim=claim, events=events, rules=rules)


def _locked_events(claim: Claim) -> list[ClaimEvent]:
    Claim.objects.select_for_update().filter(pk=claim.pk).first()
    return list(claim.events.all())


@transaction.atomic
def record_event(*, actor, claim: Claim, type: str, occurred_on: dt.date, received_on: dt.date | None = None,
                 scheduled_for: dt.date | None = None, appellant: str = "", ground: str = "",
                 substituted_outcome: str = "", order_kind: str = "", destination_country: str = "",
                 note: str = "", confirm_destination: bool = False, bar_exempt: bool = False,
                 ineligibility: str = "", claimant: JoinedClaimant | None = None,
                 rules: RuleSet | None = None) -> ClaimEvent:
    """Record one step of the claim, or with `claimant` of a joined member's own later proceedings (checked
    against their own decision: haven.claims.members); refused (ValidationError) if the law does not allow it at
    that point."""
    claimant = check_step_claimant(claim, claimant)
    check_step_details(type, {"received_on": received_on, "scheduled_for": scheduled_for, "appellant": appellant,
                              "ground": ground, "substituted_outcome": substituted_outcome,
                              "bar_exempt": bar_exempt, "order_kind": order_kind, "ineligibility": ineligibility,
                              "destination_country": destination_country})
    rules = rules or load_rules()
    events = _locked_events(claim)
    event = ClaimEvent(claim=claim, type=type, occurred_on=occurred_on, received_on=received_on,
                       scheduled_for=scheduled_for, appellant=appellant or "", ground=ground or "",
                       substituted_outcome=substituted_outcome or "", bar_exempt=bool(bar_exempt),
                       order_kind=order_kind or "", ineligibility=ineligibility or "",
                       destination_country=(destination_country or "").strip(), note=(note or "").strip(),
                       claimant=claimant, recorded_by=actor if getattr(actor, "pk", None) else None)
    check_destination(claim, event, confirm_destination)
    check_safe_fields(event)
    event.full_clean(exclude=["claim", "claimant", "recorded_by"])
    check_happened(claim, event)
    _replay(claim, [*events, event], rules, members=None if claimant is None else [claimant])
    event.save()
    whose = "" if claimant is None else f" for person {claimant.person_id}"
    record(actor=actor, action=Action.CREATE, obj=event, case_id=claim.case_id,
           summary=f"{claim.reference}: {event.type} {event.occurred_on}{whose}",
           changes=created_fields(snapshot(event, EVENT_FIELDS), sensitive=["note"]))
    _sync_claim(claim, [*events, event], rules)
    return event



# Every field an administrator edits on a rule (haven.claims.admin): an edit saves them together.
RULE_FIELDS = tuple(field.name for field in DeadlineRule._meta.concrete_fields
                    if field.editable and not field.primary_key)


@transaction.atomic
def save_rule(*, actor, rule: DeadlineRule, changed_fields: Iterable[str] = (),
              expected_version: int | None = None) -> dict[str, int]:
    """Save an administrator's change to a rule, audit it, and recompute every claim's deadlines at once.
    `expected_version`: the version of the rule the administrator's form was opened on (EditConflict if another
    change was saved since); None for internal jobs."""
    rule.full_clean()
    created = rule.pk is None
    if created:
        rule.save()
    else:
        save_versioned(rule, expected_version=expected_version, update_fields=RULE_FIELDS)
    record(actor=actor, action=Action.CREATE if created else Action.UPDATE, obj=rule,
           summary=f"deadline rule {rule}",
           changes=created_fields(snapshot(rule, [f for f in changed_fields if hasattr(rule, f)])))
    return recompute_all_deadlines()


# ------------------------------------------------------------------ legal issues and evidence

@transaction.atomic
def add_issue(*, actor, claim: Claim, kind: str, notes: str = "") -> LegalIssue:
    issue = LegalIssue(claim=claim, kind=kind, notes=(notes or "").strip())
    check_safe_fields(issue)
    issue.full_clean(exclude=["claim"])
    issue.save()
    items = [EvidenceItem(issue=issue, description=text) for text in CHECKLISTS.get(kind, ())]
    EvidenceItem.objects.bulk_create(items)
    record(actor=actor, action=Action.CREATE, obj=issue, case_id=claim.case_id,
           changes=created_fields({"kind": kind, "notes": issue.notes, "checklist": len(items)}, sensitive=["notes"]))
    return issue


@transaction.atomic
def add_evidence_item(*, actor, issue: LegalIssue, description: str) -> EvidenceItem:
    item = EvidenceItem(issue=issue, description=(description or "").strip())
    check_safe_fields(item)
    item.full_clean(exclude=["issue"])
    item.save()
    record(actor=actor, action=Action.CREATE, obj=item, case_id=issue.claim.case_id,
           changes=created_fields({"description": item.description}))
    return item


@transaction.atomic
def update_evidence_item(*, actor, item: EvidenceItem, status: str | None = None,
                         attachments: Iterable | None = None, expected_version: int | None = None) -> EvidenceItem:
    """`expected_version`: the version the writer's page showed (haven.records.versioning); a change of status or
    of the linked documents counts as an edit of the item. None for internal jobs."""
    check_version(item, expected_version)
    case_id = item.issue.claim.case_id
    changes = {}
    if status is not None and status != item.status:
        old, item.status = item.status, status
        item.full_clean(exclude=["issue"])
        changes["status"] = {"old": old, "new": status}
    if attachments is not None:
        attachments = list(attachments)
        if any(a.case_id != case_id for a in attachments):
            raise ValidationError({"attachments": _("Only documents attached to this claim's case can be linked.")})
        before = sorted(item.attachments.values_list("pk", flat=True))
        after = sorted(a.pk for a in attachments)
        if before != after:
            changes["attachments"] = {"old": before, "new": after}
    if changes:
        save_versioned(item, expected_version=expected_version, update_fields=["status"] if "status" in changes
                       else [])
        if "attachments" in changes:
            item.attachments.set(attachments)
        record(actor=actor, action=Action.UPDATE, obj=item, case_id=case_id, changes=changes)
    return item


# ------------------------------------------------------------------ corrections and removals of recorded steps

# What a correction may change. The step's type is not among them: a step recorded as the wrong kind is removed
# (with a reason) and the right one recorded, so that the audit log shows both.
CORRECTABLE_FIELDS = ("occurred_on", "received_on", "scheduled_for", "appellant", "ground", "substituted_outcome",
                      "bar_exempt", "order_kind", "ineligibility", "destination_country", "note")
DATE_FIELDS = ("occurred_on", "received_on", "scheduled_for")


def _step_label(event) -> str:
    return _("“%(step)s” of %(date)s") % {"step": EventType(event.type).label, "date": event.occurred_on.isoformat()}


class StepChanged(ValidationError):
    """The step was removed or changed by someone else after the form was opened."""


def _current_step(events: list[ClaimEvent], event: ClaimEvent, version: str | None) -> ClaimEvent:
    """The locked, freshly read copy of `event`, refused if it was removed or changed since `version`."""
    current = next((e for e in events if e.pk == event.pk), None)
    if current is None:
        raise StepChanged(_("This step no longer exists: someone removed it in the meantime."))
    if version is not None and version != event_version(current):
        raise StepChanged(_("Someone changed this step after you opened the page: check its current details "
                            "and try again."))
    current.claim = event.claim
    return current


def removal_refusal(*, event: ClaimEvent, rules: RuleSet | None = None,
                    events: list[ClaimEvent] | None = None) -> str | None:
    """Why the step cannot be removed (a later step depends on it), or None. Writes nothing."""
    rules = rules or load_rules()
    others = [e for e in (list(event.claim.events.all()) if events is None else events) if e.pk != event.pk]
    try:
        replay_claim(event.claim, others, rules)
    except StepRefused as exc:
        # Without the step, the steps before it replay as before: the one refused comes after it.
        return _("This step cannot be removed: the later step %(step)s depends on it. %(reason)s Correct or remove "
                 "that step first.") % {"step": _step_label(exc.event), "reason": exc.message}
    return None


@transaction.atomic
def correct_event(*, actor, event: ClaimEvent, reason: str = "", version: str | None = None,
                  confirm_destination: bool = False, rules: RuleSet | None = None, **fields: Any) -> ClaimEvent:
    """Correct the date or details of a recorded step.

    The claim's whole list of steps is replayed with the correction; one that would make this step or any other
    invalid (a decision dated before the referral, an appeal dated before the decision) is refused with the
    reason, naming the step concerned. The step is saved with update_fields, the audit record keeps every old
    and new value (the confidential note only as redacted) and the reason given, and the claim's summary and
    deadlines are recomputed. Returns the corrected step (a fresh copy; `event` is left as it was)."""
    unknown = set(fields) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These details of a step cannot be corrected: %(fields)s. A step recorded as the "
                                "wrong kind is removed and the right one recorded.")
                              % {"fields": ", ".join(sorted(unknown))})
    rules = rules or load_rules()
    claim = event.claim
    events = _locked_events(claim)
    current = _current_step(events, event, version)
    others = [e for e in events if e.pk != current.pk]
    old = snapshot(current, EVENT_FIELDS)
    for name, value in fields.items():
        if name in DATE_FIELDS or isinstance(value, bool):
            setattr(current, name, value)
        else:
            setattr(current, name, (value or "").strip() if isinstance(value, str) or value is None else value)
    if current.occurred_on is None:
        raise ValidationError({"occurred_on": _("Give the date of the step.")})
    # A detail the step already held (recorded before the services refused it) may stay or be cleared.
    check_step_details(current.type, {name: getattr(current, name) for name in fields
                                      if getattr(current, name) != old[name]})
    # A destination already confirmed stays confirmed while it is unchanged.
    unchanged_destination = current.destination_country == old["destination_country"] and old["destination_confirmed"]
    check_destination(claim, current, confirm_destination or unchanged_destination)
    check_safe_fields(current)
    check_safe_text(reason, field="reason")
    current.full_clean(exclude=["claim", "recorded_by"])
    check_happened(claim, current, [name for name in HAPPENED_FIELDS if getattr(current, name) != old[name]])
    changes = diff(old, snapshot(current, EVENT_FIELDS), sensitive=["note"])
    if not changes:
        return current
    try:
        replay_claim(claim, [*others, current], rules)
    except StepRefused as exc:
        if exc.event is current:
            message = _("The correction is refused: %(reason)s") % {"reason": exc.message}
        else:
            message = _("The correction is refused: the step %(step)s would no longer be valid. %(reason)s") % {
                "step": _step_label(exc.event), "reason": exc.message}
        raise ValidationError(message) from None
    current.save(update_fields=[*(name for name in EVENT_FIELDS if name in changes), "updated_at"])
    reason = (reason or "").strip()
    record(actor=actor, action=Action.UPDATE, obj=current, case_id=claim.case_id,
           summary=f"{claim.reference}: corrected {current.type} {current.occurred_on}",
           changes={**changes, **({"reason": reason} if reason else {})})
    _sync_claim(claim, [*others, current], rules)
    return current


@transaction.atomic
def remove_event(*, actor, event: ClaimEvent, reason: str, version: str | None = None,
                 rules: RuleSet | None = None) -> None:
    """Remove a step recorded by mistake, saying why.

    Refused while a later step depends on it (the list without it would not replay), with the reason. The audit
    record keeps every value the step had (the confidential note only as redacted), who recorded it and when,
    and the reason for the removal; the claim's summary and deadlines are recomputed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the step is removed: the reason is kept in the audit log.")})
    check_safe_text(reason, field="reason")
    rules = rules or load_rules()
    claim = event.claim
    events = _locked_events(claim)
    current = _current_step(events, event, version)
    others = [e for e in events if e.pk != current.pk]
    refusal = removal_refusal(event=current, rules=rules, events=events)
    if refusal:
        raise ValidationError(refusal)
    changes = diff(snapshot(current, EVENT_FIELDS), {}, sensitive=["note"])
    changes.update({"recorded_by": {"old": current.recorded_by_id, "new": None},
                    "recorded_at": {"old": current.created_at.isoformat(), "new": None},
                    "reason": reason})
    record(actor=actor, action=Action.DELETE, obj=current, case_id=claim.case_id,
           summary=f"{claim.reference}: removed {current.type} {current.occurred_on}", changes=changes)
    current.delete()
    _sync_claim(claim, others, rules)
