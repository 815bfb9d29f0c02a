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


def event_version(event: ClaimEvent) -> str:
    """An opaque token of the step's last change, carried by the correction and removal forms so that a form
    opened before someone else changed the step cannot overwrite or remove it unseen."""
    return event.updated_at.isoformat() if event.updated_at else ""
