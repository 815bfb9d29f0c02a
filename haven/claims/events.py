"""The trigger events of the deadline engine, and how a claim's recorded events produce them.

A trigger is an abstract legal event ("the RPD's written reasons were received")
with a date. Deadline rules (DeadlineRule rows) name the trigger that starts
their period. `triggers_for_events` maps the events recorded on one claim to
the triggers in force, the latest occurrence of each.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

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
# Grounds on which a rejection does not start the 12-month PRRA bar (IRPA s.112(2)(b.1)).
BAR_EXEMPT_GROUNDS = frozenset({Ground.ARTICLE_1E, Ground.ARTICLE_1F})


@dataclass(frozen=True)
class Trigger:
    key: str
    on: dt.date
    event_id: int | None = None


def _ordered(events: Iterable) -> list:
    return sorted(events, key=lambda e: (e.occurred_on, e.pk or 0))


def triggers_for_events(events: Iterable) -> dict[str, Trigger]:
    """The latest occurrence of each trigger among a claim's events (objects with ClaimEvent's attributes)."""
    found: dict[str, Trigger] = {}

    def put(key: str, on: dt.date | None, event) -> None:
        if on is not None:
            found[key] = Trigger(key, on, event.pk)

    hearing_on: dt.date | None = None
    current_outcome = ""
    current_ground = ""
    for event in _ordered(events):
        kind = event.type
        if kind in RPD_DECISIONS:
            current_outcome, current_ground = DECISION_OUTCOMES[kind], event.ground
        elif kind in RAD_DECISIONS:
            current_ground = event.ground or current_ground
            if kind == EventType.RAD_SET_ASIDE and event.substituted_outcome:
                current_outcome = event.substituted_outcome
        if kind == EventType.REFERRAL:
            put("referral_to_rpd", event.occurred_on, event)
        elif kind in (EventType.HEARING_SCHEDULED, EventType.HEARING_POSTPONED):
            hearing_on = event.scheduled_for
            if hearing_on is None:
                found.pop("hearing_scheduled", None)
            put("hearing_scheduled", hearing_on, event)
        elif kind in (EventType.DECISION_ACCEPTED, EventType.DECISION_REJECTED):
            put("rpd_reasons_received", event.received_on, event)
            if kind == EventType.DECISION_REJECTED and event.ground not in BAR_EXEMPT_GROUNDS:
                put("last_negative_decision", event.occurred_on, event)
        elif kind in (EventType.DECISION_NCB, EventType.DECISION_MU):
            put("decision_notice_received", event.received_on, event)
            if event.ground not in BAR_EXEMPT_GROUNDS:
                put("last_negative_decision", event.occurred_on, event)
        elif kind in (EventType.ABANDONMENT, EventType.WITHDRAWAL):
            put("last_negative_decision", event.occurred_on, event)
        elif kind in (EventType.RAD_CONFIRMED, EventType.RAD_SET_ASIDE):
            put("decision_notice_received", event.received_on, event)
            if current_outcome not in ("", "accepted") and current_ground not in BAR_EXEMPT_GROUNDS:
                put("last_negative_decision", event.occurred_on, event)
        elif kind == EventType.RAD_PERFECTED:
            put("rad_record_perfected", event.occurred_on, event)
        elif kind == EventType.FC_LEAVE_FILED:
            put("fc_leave_filed", event.occurred_on, event)
        elif kind == EventType.PRRA_NOTIFICATION:
            put("prra_notification", event.occurred_on, event)
        elif kind == EventType.PRRA_REFUSED:
            put("decision_notice_received", event.received_on or event.occurred_on, event)
            put("last_negative_decision", event.occurred_on, event)
        elif kind == EventType.REMOVAL_ORDER and event.order_kind == "departure":
            put("departure_order_in_force", event.occurred_on, event)
        elif kind in (EventType.REINSTATEMENT, EventType.REOPENING, EventType.RAD_REFERRED_BACK):
            # The claim is back before the RPD: earlier appeal windows no longer run.
            for key in ("rpd_reasons_received", "decision_notice_received"):
                found.pop(key, None)
    return found


# The details each kind of step carries, beyond its date and note. The step form shows only these for the step
# chosen, and the services refuse any other (check_step_details), so a form, the API and the import agree.
_DECISIONS = frozenset({
    EventType.DECISION_ACCEPTED, EventType.DECISION_REJECTED, EventType.DECISION_NCB, EventType.DECISION_MU,
    EventType.ABANDONMENT, EventType.RAD_CONFIRMED, EventType.RAD_SET_ASIDE, EventType.RAD_REFERRED_BACK,
    EventType.FC_LEAVE_GRANTED, EventType.FC_LEAVE_REFUSED, EventType.JR_ALLOWED, EventType.JR_DISMISSED,
    EventType.PRRA_ACCEPTED, EventType.PRRA_REFUSED, EventType.VACATION, EventType.CESSATION,
})
STEP_DETAILS: dict[str, frozenset[str]] = {
    "received_on": _DECISIONS,
    "scheduled_for": frozenset({EventType.HEARING_SCHEDULED, EventType.HEARING_POSTPONED}),
    "appellant": frozenset({EventType.RAD_APPEAL_FILED}),
    "ground": frozenset({EventType.MINISTER_INTERVENTION, *RPD_DECISIONS, *RAD_DECISIONS}),
    "substituted_outcome": frozenset({EventType.RAD_SET_ASIDE}),
    "order_kind": frozenset({EventType.REMOVAL_ORDER}),
    "destination_country": frozenset({EventType.REMOVAL_ORDER, EventType.REMOVAL}),
}
# The details' names as the step form labels them, for the services' messages.
DETAIL_LABELS = {
    "received_on": _("Reasons or notice received on"),
    "scheduled_for": _("Hearing date"),
    "appellant": _("Appellant"),
    "ground": _("Ground"),
    "substituted_outcome": _("Decision substituted by the RAD"),
    "order_kind": _("Removal order"),
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
