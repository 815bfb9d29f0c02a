"""A claim's deadlines from its steps: `desired_deadlines` for one claim, `DeadlinePlanner` for many at once
(memoized on the claim's pattern of steps). Pure computation: haven.claims.services writes the rows."""
from __future__ import annotations

import datetime as dt
from collections import namedtuple

from haven.claims.deadlines import Rule, RuleSet
from haven.claims.events import ClaimFacts, removal_stays, triggers_for_events
from haven.claims.lifecycle import ordered
from haven.claims.models import IntakeRoute

# A lightweight event for bulk recomputation (same attribute names as ClaimEvent).
Ev = namedtuple("Ev", "pk type occurred_on received_on scheduled_for ground substituted_outcome order_kind")
EV_FIELDS = ("pk", "type", "occurred_on", "received_on", "scheduled_for", "ground", "substituted_outcome",
             "order_kind")
# The trigger whose period a stay of removal suspends (IRPR s.224(3)).
SUSPENDED_BY_STAYS = "departure_order_in_force"


def desired_deadlines(events: list, rules: RuleSet, province: str | None, route: str = IntakeRoute.PORT_OF_ENTRY,
                      today: dt.date | None = None, facts: ClaimFacts = ClaimFacts()) -> dict[str, tuple]:
    """{rule key: (rule_id, trigger, trigger_on, due_on, completed_on, event_id, lapsed)} for one claim's events.

    A step dated after `today` has not happened (haven.records.dates): it never meets a deadline, even if it was
    recorded (an import, a clock set wrong). A deadline met after its due date keeps that date (met late). A window
    ended by one of the rule's `closed_by` steps before any of its `completed_by` steps (the hearing held, for
    the Minister's notice of intervention) is `lapsed`: closed, not met, and never "met late"; its completed_on is
    the closing day or, when that came after the due date, the due date (it is off the open and late lists)."""
    events = ordered(events)
    position = {e.pk: index for index, e in enumerate(events)}
    triggers = {key: (t.on, t.event_id) for key, t in triggers_for_events(events, facts).items()}
    result = {}
    stays = None
    for computed in rules.compute(triggers, province, ordered=False, route=route or IntakeRoute.PORT_OF_ENTRY):
        due = computed.due
        if computed.trigger == SUSPENDED_BY_STAYS:
            if stays is None:
                stays = removal_stays(events, lambda on: rules.due_of("prra_application_due", on, province))
            due = suspended_due(rules, computed.rule, computed.trigger_on, stays, province)
            if due is None:
                continue
        completed_on, lapsed = _completion(computed.rule, events[position.get(computed.event_id, -1) + 1:], due, today)
        result[computed.rule.key] = (computed.rule.pk, computed.trigger, computed.trigger_on, due,
                                     completed_on, computed.event_id, lapsed)
    return result


def _completion(rule: Rule, later: list, due: dt.date, today: dt.date | None) -> tuple[dt.date | None, bool]:
    """(completed_on, lapsed) from the steps after the one that started the period: the first that meets the
    deadline or closes its window, ignoring steps dated after today."""
    done, closing = rule.completed_by, rule.closed_by
    if not done and not closing:
        return None, False
    for event in later:
        if today is not None and event.occurred_on > today:
            continue
        if event.type in done:
            return event.occurred_on, False
        if event.type in closing:
            return min(event.occurred_on, due), True
    return None, False


def suspended_due(rules: RuleSet, rule: Rule, start: dt.date, stays: list[tuple[dt.date, dt.date | None]],
                  province: str | None) -> dt.date | None:
    """The due date of a period that runs from `start` and is suspended while removal is stayed (IRPR s.224(2)-(3):
    a departure order's 30 days run from when it becomes enforceable, and a stay suspends them until it is
    enforceable again). Each stayed day that falls inside the running period moves the end a day later. None while a
    stay that began inside the period has not ended (no date can be given yet)."""
    shift = 0
    for stay_start, stay_end in merged_periods(stays):
        if stay_end is not None and stay_end <= start:
            continue
        if stay_start > rules.due(rule, start + dt.timedelta(days=shift), province):
            break
        if stay_end is None:
            return None
        shift += (stay_end - max(stay_start, start)).days
    return rules.due(rule, start + dt.timedelta(days=shift), province)


def merged_periods(periods: list[tuple[dt.date, dt.date | None]]) -> list[tuple[dt.date, dt.date | None]]:
    """Overlapping [start, end) periods joined into one (end None: not ended), in order."""
    merged: list[list] = []
    for start, end in sorted(periods, key=lambda p: p[0]):
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last = merged[-1]
            last[1] = None if end is None or last[1] is None else max(last[1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


class DeadlinePlanner:
    """desired_deadlines for many claims in one batch, memoized on the claim's event pattern.

    A claim's deadlines are a function of its province, its intake route and of its events in order (the EV_FIELDS other
    than pk: type and dates); the event ids are only copied into the rows. Claims with the same pattern
    (a referral on the same day in the same province, ...) are computed once per batch: the memo keeps
    the position of the starting event, and each claim gets its own event ids back. Events are tuples in
    EV_FIELDS order (pk first), already in `lifecycle.ordered` order when `presorted`."""

    MAX_PATTERNS = 200_000
    memoize = True  # switched off only to measure the engine alone (bench/claims_bench.py)

    def __init__(self, rules: RuleSet, today: dt.date | None = None) -> None:
        self.rules = rules
        self.today = today
        self.claims = 0
        self.computed = 0  # patterns computed by the engine (memo misses)
        self._memo: dict[tuple, tuple] = {}

    def plan(self, events: list[tuple], province: str | None, route: str = IntakeRoute.PORT_OF_ENTRY, *,
             presorted: bool = False, facts: ClaimFacts = ClaimFacts()) -> list[tuple]:
        """[(rule key, (rule_id, trigger, trigger_on, due_on, completed_on, event_id, lapsed)), ...] for one claim."""
        self.claims += 1
        if not presorted and len(events) > 1:
            events = sorted(events, key=lambda e: (e[2], 10**18 if e[0] is None else e[0]))
        signature = (province, route, facts, *[event[1:] for event in events])
        pattern = self._memo.get(signature)
        if pattern is None:
            ids = [event[0] for event in events]
            if None in ids or not self.memoize:  # unsaved events: positions cannot stand for ids
                return list(desired_deadlines([Ev._make(e) for e in events], self.rules, province, route,
                                              self.today, facts).items())
            position = {pk: index for index, pk in enumerate(ids)}
            pattern = tuple((key, rule_id, trigger, trigger_on, due_on, completed_on,
                             None if event_id is None else position[event_id], lapsed)
                            for key, (rule_id, trigger, trigger_on, due_on, completed_on, event_id, lapsed)
                            in desired_deadlines([Ev._make(e) for e in events], self.rules, province, route,
                                                 self.today, facts).items())
            self.computed += 1
            if len(self._memo) >= self.MAX_PATTERNS:
                self._memo.clear()
            self._memo[signature] = pattern
        return [(key, (rule_id, trigger, trigger_on, due_on, completed_on, None if at is None else events[at][0],
                       lapsed))
                for key, rule_id, trigger, trigger_on, due_on, completed_on, at, lapsed in pattern]
