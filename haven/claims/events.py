"""The trigger events of the deadline engine, and how a claim's recorded events produce them.

A trigger is an abstract legal event ("the RPD's written reasons were received")
with a date. Deadline rules (DeadlineRule rows) name the trigger that starts
their period. `triggers_for_events` maps the events recorded on one claim to
the triggers in force, the latest occurrence of each.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from haven.claims.models import ClaimEvent, EventType, Ground
from haven.claims.triggers import ALL_TRIGGERS, TRIGGERS  # noqa: F401 (part of this module's interface)

# The triggers are named in haven.claims.triggers, below the models that validate against them.

RPD_DECISIONS = frozenset({EventType.DECISION_ACCEPTED, EventType.DECISION_REJECTED, EventType.DECISION_NCB,
                           EventType.DECISION_MU})
RAD_DECISIONS = frozenset({EventType.RAD_CONFIRMED, EventType.RAD_SET_ASIDE, EventType.RAD_REFERRED_BACK})
DECISION_OUTCOMES = {
    EventType.DECISION_ACCEPTED: "accepted", EventType.DECISION_REJECTED: "rejected",
    EventType.DECISION_NCB: "no_credible_basis", EventType.DECISION_MU: "manifestly_unfounded",
}
# Grounds on which a rejection does not start the 12-month PRRA bar (IRPA s.112(2)(b.1): "rejected on the basis of
# section E or F of Article 1"). A rejection because South Korea is another country of nationality does start it.
BAR_EXEMPT_GROUNDS = frozenset({Ground.ARTICLE_1E, Ground.ARTICLE_1F})
# Dispositions that no appeal to the RAD can follow and whose notice starts the 15 days to seek leave of the Federal
# Court (IRPA s.72(2)(b)): abandonment (s.110(2)(b)), a termination recorded as "other", vacation and cessation
# (s.110(2)(e), (f)), and an officer's finding that the claim is ineligible (IRPA s.101; no appeal lies from it).
# A withdrawal is the claimant's own act and starts no leave period.
NOTICE_STARTS_LEAVE = frozenset({EventType.ABANDONMENT, EventType.OTHER_DISPOSITION, EventType.VACATION,
                                 EventType.CESSATION, EventType.INELIGIBLE})


class ClaimFacts(NamedTuple):
    """The facts recorded on the claim itself that change its proceedings."""

    designated_foreign_national: bool = False  # IRPA s.110(2)(a)
    stca_exception: bool = False  # IRPA s.110(2)(d)

    @property
    def rad_barred(self) -> bool:
        """No appeal lies to the RAD from the RPD's decision on the claim, whatever it is."""
        return self.designated_foreign_national or self.stca_exception


def claim_facts(claim) -> ClaimFacts:
    return ClaimFacts(bool(claim.designated_foreign_national), bool(claim.stca_exception))


@dataclass(frozen=True)
class Trigger:
    key: str
    on: dt.date
    event_id: int | None = None


def _ordered(events: Iterable) -> list:
    return sorted(events, key=lambda e: (e.occurred_on, e.pk or 0))


def triggers_for_events(events: Iterable, facts: ClaimFacts = ClaimFacts()) -> dict[str, Trigger]:
    """The latest occurrence of each trigger among a claim's events (objects with ClaimEvent's attributes)."""
    walk = _TriggerWalk(facts)
    for event in _ordered(events):
        walk.step(event)
    return walk.found


# Outcomes whose rejection, abandonment or withdrawal starts the 12-month PRRA bar (IRPA s.112(2)(b.1)).
_BARRING_OUTCOMES = frozenset({"rejected", "no_credible_basis", "manifestly_unfounded", "abandoned", "withdrawn"})


class _TriggerWalk:
    """Walks a claim's events in order, keeping what the triggers depend on: the current determination and its
    ground, whether it came from a vacation (IRPA s.109(3), which never starts the PRRA bar) and what decision a
    leave application filed now would challenge (the claim, or a PRRA refusal)."""

    def __init__(self, facts: ClaimFacts) -> None:
        self.facts = facts
        self.found: dict[str, Trigger] = {}
        self.outcome = self.ground = ""
        self.vacated = False
        self.reviewed = self.leave_target = "claim"

    def put(self, key: str, on: dt.date | None, event) -> None:
        if on is not None:
            self.found[key] = Trigger(key, on, event.pk)

    def bar_starts(self) -> bool:
        return self.outcome in _BARRING_OUTCOMES and self.ground not in BAR_EXEMPT_GROUNDS and not self.vacated

    def step(self, event) -> None:
        kind, notice_on = event.type, event.received_on or event.occurred_on
        if kind in RPD_DECISIONS:
            self.outcome, self.ground = DECISION_OUTCOMES[kind], event.ground
            self.vacated, self.reviewed = False, "claim"
            self.rpd_decision(event)
        elif kind in RAD_DECISIONS:
            self.ground, self.reviewed = event.ground or self.ground, "claim"
            if kind == EventType.RAD_SET_ASIDE and event.substituted_outcome:
                self.outcome = event.substituted_outcome
            if kind != EventType.RAD_REFERRED_BACK:
                self.put("decision_notice_received", event.received_on, event)
                if self.bar_starts():
                    self.put("last_negative_decision", event.occurred_on, event)
        elif kind in (EventType.ABANDONMENT, EventType.WITHDRAWAL, EventType.OTHER_DISPOSITION, EventType.VACATION,
                      EventType.CESSATION, EventType.INELIGIBLE):
            self.disposition(event, notice_on)
        elif kind in (EventType.FC_LEAVE_REFUSED, EventType.JR_DISMISSED):
            # IRPA s.112(2)(b.1)(ii)(C): the bar runs from the Federal Court's refusal when it is the latest step.
            if self.leave_target == "claim" and self.bar_starts():
                self.put("last_negative_decision", event.occurred_on, event)
        else:
            self.other_step(event)

    def rpd_decision(self, event) -> None:
        if self.facts.rad_barred or event.type in (EventType.DECISION_NCB, EventType.DECISION_MU):
            # No appeal to the RAD (IRPA s.110(2)(a), (c), (d)): the notice starts the time to seek leave.
            self.put("decision_notice_received", event.received_on or event.occurred_on, event)
        elif event.type == EventType.DECISION_ACCEPTED:
            # Only the Minister may appeal a positive decision (IRPA s.110(1), IRPR s.159.91(1)(a)): the period is
            # the Minister's, not the claimant's, and is never the claimant's to meet.
            self.put("rpd_acceptance_reasons_received", event.received_on, event)
        else:
            self.put("rpd_reasons_received", event.received_on, event)
        if self.bar_starts():
            self.put("last_negative_decision", event.occurred_on, event)

    def disposition(self, event, notice_on: dt.date) -> None:
        kind = event.type
        self.reviewed, self.ground = "claim", ""
        self.vacated = kind == EventType.VACATION
        # An ineligible claim was never decided by the Board: it starts no PRRA bar (s.112(2)(b.1)).
        self.outcome = {EventType.ABANDONMENT: "abandoned", EventType.WITHDRAWAL: "withdrawn",
                        EventType.OTHER_DISPOSITION: "other", EventType.INELIGIBLE: "other"}.get(kind, "rejected")
        if kind in NOTICE_STARTS_LEAVE:
            self.put("decision_notice_received", notice_on, event)
        # Cessation deems the claim rejected (s.108(3)) and so starts the bar; vacation (s.109(3)) does not.
        if self.bar_starts():
            self.put("last_negative_decision", event.occurred_on, event)

    def other_step(self, event) -> None:
        kind = event.type
        if kind == EventType.REFERRAL:
            self.put("referral_to_rpd", event.occurred_on, event)
        elif kind in (EventType.HEARING_SCHEDULED, EventType.HEARING_POSTPONED):
            if event.scheduled_for is None:
                self.found.pop("hearing_scheduled", None)
            self.put("hearing_scheduled", event.scheduled_for, event)
        elif kind == EventType.RAD_PERFECTED:
            self.put("rad_record_perfected", event.occurred_on, event)
        elif kind == EventType.FC_LEAVE_FILED:
            self.leave_target = self.reviewed
            self.put("fc_leave_filed", event.occurred_on, event)
        elif kind == EventType.PRRA_NOTIFICATION:
            self.put("prra_notification", event.occurred_on, event)
        elif kind == EventType.PRRA_REFUSED:
            self.reviewed = "prra"
            self.put("decision_notice_received", event.received_on or event.occurred_on, event)
            self.put("last_negative_decision", event.occurred_on, event)
        elif kind == EventType.REMOVAL_ORDER and event.order_kind == "departure":
            self.put("departure_order_in_force", event.occurred_on, event)
        if kind in (EventType.REINSTATEMENT, EventType.REOPENING, EventType.RAD_REFERRED_BACK):
            # The claim is back before the RPD: earlier appeal windows no longer run.
            self.outcome = self.ground = ""
            for key in ("rpd_reasons_received", "rpd_acceptance_reasons_received", "decision_notice_received"):
                self.found.pop(key, None)


def removal_stays(events: Iterable, application_due: Callable[[dt.date], dt.date | None]
                  ) -> list[tuple[dt.date, dt.date | None]]:
    """The periods [start, end) during which removal is stayed, end None while the stay lasts:
    - from a PRRA notification through the last day to apply (IRPR s.232(b)), and on to the PRRA decision if the
      application was made in time (s.232(c)); a late application gives no stay;
    - while leave and judicial review of a RAD decision are sought (IRPR s.231(1)).
    `application_due(notified_on)` is the last day to apply (the prra_application_due rule in force)."""
    stays: list[list] = []
    reviewed, prra, leave = "claim", None, None
    for event in _ordered(events):
        kind = event.type
        if kind == EventType.PRRA_NOTIFICATION:
            due = application_due(event.occurred_on)
            prra = [event.occurred_on, None if due is None else due + dt.timedelta(days=1), due]
            stays.append(prra)
        elif kind == EventType.PRRA_APPLIED and prra is not None and (prra[2] is None or event.occurred_on <= prra[2]):
            prra[1] = None
        elif kind in (EventType.PRRA_ACCEPTED, EventType.PRRA_REFUSED) and prra is not None:
            if prra[1] is None:
                prra[1] = event.occurred_on
            prra, reviewed = None, "prra"
        elif kind in RAD_DECISIONS or kind in RPD_DECISIONS:
            reviewed = "rad" if kind in RAD_DECISIONS else "claim"
        elif kind == EventType.FC_LEAVE_FILED and reviewed == "rad":
            leave = [event.occurred_on, None]
            stays.append(leave)
        elif kind in (EventType.FC_LEAVE_REFUSED, EventType.JR_DISMISSED, EventType.JR_ALLOWED) and leave:
            leave[1], leave = event.occurred_on, None
    return [(start, end) for start, end, *_ in stays]


# The details each kind of step carries, beyond its date and note. The step form shows only these for the step
# chosen, and the services refuse any other (check_step_details), so a form, the API and the import agree.
_DECISIONS = frozenset({
    EventType.DECISION_ACCEPTED, EventType.DECISION_REJECTED, EventType.DECISION_NCB, EventType.DECISION_MU,
    EventType.ABANDONMENT, EventType.WITHDRAWAL, EventType.OTHER_DISPOSITION, EventType.RAD_CONFIRMED,
    EventType.RAD_SET_ASIDE, EventType.RAD_REFERRED_BACK, EventType.FC_LEAVE_GRANTED, EventType.FC_LEAVE_REFUSED,
    EventType.JR_ALLOWED, EventType.JR_DISMISSED,
    EventType.PRRA_ACCEPTED, EventType.PRRA_REFUSED, EventType.VACATION, EventType.CESSATION, EventType.INELIGIBLE,
})
STEP_DETAILS: dict[str, frozenset[str]] = {
    "received_on": _DECISIONS,
    "scheduled_for": frozenset({EventType.HEARING_SCHEDULED, EventType.HEARING_POSTPONED}),
    "appellant": frozenset({EventType.RAD_APPEAL_FILED}),
    "ground": frozenset({EventType.MINISTER_INTERVENTION, *RPD_DECISIONS, *RAD_DECISIONS}),
    "substituted_outcome": frozenset({EventType.RAD_SET_ASIDE}),
    "bar_exempt": frozenset({EventType.PRRA_APPLIED}),
    "order_kind": frozenset({EventType.REMOVAL_ORDER}),
    "ineligibility": frozenset({EventType.INELIGIBLE}),
    "destination_country": frozenset({EventType.REMOVAL_ORDER, EventType.REMOVAL}),
}
# The details' names as the step form labels them, for the services' messages.
DETAIL_LABELS = {
    "received_on": _("Reasons or notice received on"),
    "scheduled_for": _("Hearing date"),
    "appellant": _("Appellant"),
    "ground": _("Ground"),
    "substituted_outcome": _("Decision substituted by the RAD"),
    "bar_exempt": _("The applicant's country is exempted from the 12-month PRRA bar"),
    "order_kind": _("Removal order"),
    "ineligibility": _("Ineligible under"),
    "destination_country": _("Country of removal"),
}


def details_of(step_type: str) -> list[str]:
    """The details a step of this type carries, in the form's order."""
    return [name for name, types in STEP_DETAILS.items() if step_type in types]


def check_step_details(step_type: str, details: dict) -> None:
    """Refuse a detail given for a step that does not carry it (a hearing date on a BOC filing, an appellant on a
    decision), naming the detail and the step, rather than storing a value that nothing reads."""
    try:
        label = EventType(step_type).label
    except ValueError:
        return  # an unknown type is refused by the model's own choices, with its message
    errors = {name: _("“%(detail)s” does not apply to the step “%(step)s”: leave it empty.")
              % {"detail": DETAIL_LABELS[name], "step": label}
              for name, value in details.items()
              if name in STEP_DETAILS and value not in (None, "", False) and step_type not in STEP_DETAILS[name]}
    if errors:
        raise ValidationError(errors)


def event_version(event: ClaimEvent) -> str:
    """An opaque token of the step's last change, carried by the correction and removal forms so that a form
    opened before someone else changed the step cannot overwrite or remove it unseen."""
    return event.updated_at.isoformat() if event.updated_at else ""
