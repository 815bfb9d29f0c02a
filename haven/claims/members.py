"""A joined member's own proceedings (RPD Rules r.55): the steps that follow their own decision, checked and
counted with the claim's rules.

A member whose own decision is recorded (JoinedClaimant.own_decision) has a timeline of their own: the claim's
steps before the decision that the family shares (eligibility, referral, Basis of Claim, hearings, the Minister's
intervention, dated on or before the member's decision), then the member's decision as a step, then the steps
recorded for that member (ClaimEvent.claimant). The claim's state machine (haven.claims.lifecycle.replay) checks
that timeline with the same rules and messages as the claim's, and the deadline engine
(haven.claims.planning.desired_deadlines) counts its deadlines, of which the member keeps those their own
decision or steps start (the shared steps' deadlines are the claim's).

Pure computation over objects with ClaimEvent's and JoinedClaimant's attributes: the services and the
recompute write the rows, the data migration uses it with historical models."""
from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable

from haven.claims.deadlines import RuleSet
from haven.claims.events import ClaimFacts
from haven.claims.lifecycle import State, StepRefused, replay
from haven.claims.models import ClaimEvent, EventType, IntakeRoute
from haven.claims.planning import desired_deadlines

# The claim's steps before a decision that concern every person of the file.
SHARED_STEPS = frozenset({EventType.ELIGIBLE, EventType.INELIGIBLE, EventType.REFERRAL, EventType.BOC_FILED,
                          EventType.HEARING_SCHEDULED, EventType.HEARING_POSTPONED, EventType.HEARING_HELD,
                          EventType.MINISTER_INTERVENTION})
# The step that records each outcome, to stand for a member's own decision in their timeline.
OUTCOME_STEPS = {"accepted": EventType.DECISION_ACCEPTED, "rejected": EventType.DECISION_REJECTED,
                 "no_credible_basis": EventType.DECISION_NCB, "manifestly_unfounded": EventType.DECISION_MU,
                 "abandoned": EventType.ABANDONMENT, "withdrawn": EventType.WITHDRAWAL,
                 "other": EventType.OTHER_DISPOSITION}


def has_own_timeline(claimant) -> bool:
    return bool(claimant.own_decision and claimant.outcome and claimant.outcome_on)


def decision_step(claimant) -> ClaimEvent:
    """The member's own decision as an unsaved step (it names the decision in a refusal's message)."""
    return ClaimEvent(type=OUTCOME_STEPS[claimant.outcome], occurred_on=claimant.outcome_on,
                      received_on=claimant.reasons_received_on, claimant_id=claimant.pk)


def _shared(events: Iterable, until: dt.date) -> list:
    return [e for e in events if e.claimant_id is None and e.type in SHARED_STEPS and e.occurred_on <= until]


def _renumbered(events: list) -> tuple[list, dict[int, object]]:
    """Copies of `events` numbered 1, 2, ... in their order, so that the engine, which orders steps by date and
    then by id, keeps the shared steps, the decision and the member's steps in that order on one day; and
    {copy's number: the original step}."""
    copies, origin = [], {}
    for number, event in enumerate(events, start=1):
        twin = copy.copy(event)
        twin.pk = twin.id = number
        copies.append(twin)
        origin[number] = event
    return copies, origin


def member_timeline(claimant, events: Iterable, extra: Iterable = ()) -> tuple[list, dict[int, object]]:
    """The member's timeline (renumbered copies) from the claim's `events` (with any member's steps) and `extra`
    steps (one being recorded), and {copy's number: original step}."""
    events = [*events, *extra]
    own = sorted((e for e in events if e.claimant_id == claimant.pk),
                 key=lambda e: (e.occurred_on, e.pk if e.pk is not None else 10**18))
    shared = sorted(_shared(events, claimant.outcome_on), key=lambda e: (e.occurred_on, e.pk))
    decision = decision_step(claimant)
    ordered = sorted([*((e.occurred_on, 0, i, e) for i, e in enumerate(shared)),
                      (decision.occurred_on, 1, 0, decision),
                      *((e.occurred_on, 2, i, e) for i, e in enumerate(own))], key=lambda row: row[:3])
    return _renumbered([row[3] for row in ordered])


def replay_member(claimant, events: Iterable, *, rules: RuleSet, province: str | None, facts: ClaimFacts,
                  extra: Iterable = ()) -> State:
    """Replay the member's timeline; StepRefused names the original step refused (or the member's decision)."""
    copies, origin = member_timeline(claimant, events, extra)
    try:
        return replay(copies, rules=rules, province=province, facts=facts)
    except StepRefused as exc:
        raise StepRefused(exc.message, origin.get(exc.event.pk, exc.event)) from None


def member_deadlines(claimant, events: Iterable, *, rules: RuleSet, province: str | None,
                     route: str = IntakeRoute.PORT_OF_ENTRY, today: dt.date | None = None,
                     facts: ClaimFacts = ClaimFacts()) -> dict[str, tuple]:
    """{rule key: (rule_id, trigger, trigger_on, due_on, completed_on, event_id, lapsed)} of the deadlines the member's own
    decision and steps start (event_id: the member's step, None for their decision); {} for a member who follows
    the claim's decision (the claim's deadlines are theirs)."""
    if not has_own_timeline(claimant):
        return {}
    events = list(events)
    copies, origin = member_timeline(claimant, events)
    shared, _ = _renumbered(_shared(events, claimant.outcome_on))
    claims = desired_deadlines(shared, rules, province, route, today, facts)
    result = {}
    for key, values in desired_deadlines(copies, rules, province, route, today, facts).items():
        rule_id, trigger, trigger_on, due_on, completed_on, event_id, lapsed = values
        if key in claims and claims[key][1:3] == (trigger, trigger_on):
            continue  # started by a step the family shares: the claim's deadline
        original = origin.get(event_id)
        result[key] = (rule_id, trigger, trigger_on, due_on, completed_on, getattr(original, "pk", None), lapsed)
    return result
