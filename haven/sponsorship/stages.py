"""The application's stages: which step may follow which, and why a step is refused.

`replay(events)` walks an application's effective steps in the stages' order and
raises StepRefused at the first one that may not follow the steps before it, with a message that says why.
The services replay the whole list on every step, correction and removal, so a correction that would make a
later step impossible is refused too. Pure: no database."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from haven.sponsorship.models import Decision, Stage

ORDER: tuple[str, ...] = tuple(Stage.values)
# IMM 5373 (undertaking and settlement plan) is returned if signed more than 90 days before submission
# (canada.ca, IMM 5373 instructions).
UNDERTAKING_VALID_DAYS = 90


class StepRefused(Exception):
    def __init__(self, message: str, *, field: str = "stage", event=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.event = event


@dataclass
class State:
    stage: str = ""
    stage_since: dt.date | None = None
    started_on: dt.date | None = None
    undertaking_signed_on: dt.date | None = None
    submitted_on: dt.date | None = None
    federal_file_number: str = ""
    decision: str = ""
    arrived_on: dt.date | None = None
    steps: list = field(default_factory=list)


def effective(events: Iterable) -> list:
    """The steps as they stand: each original step replaced by its latest correction, removed steps left out.
    Corrections point at the original step (`corrects_id`)."""
    events = list(events)
    latest: dict[int, object] = {}
    # The row not saved yet (the one being checked) is the latest.
    for event in sorted(events, key=lambda e: e.pk if e.pk is not None else 10**18):
        root = event.corrects_id or event.pk
        latest[root] = event
    return ordered(event for event in latest.values() if not event.removed)


def ordered(events: Iterable) -> list:
    """In the stages' order (each stage happens once), so a step dated before the one it follows is refused for
    its date rather than read as another order of steps."""
    return sorted(events, key=lambda e: (ORDER.index(e.stage), e.occurred_on, e.pk or 10**18))


def next_stages(state: State) -> list[str]:
    """The stages that may be recorded next (for the form's choices)."""
    if not state.stage:
        return [Stage.PREPARING]
    if state.stage == Stage.ARRIVED or state.decision == Decision.REFUSED:
        return []
    return [ORDER[ORDER.index(state.stage) + 1]]


def check_step(state: State, event, *, today: dt.date) -> None:
    """Raise StepRefused if `event` may not follow `state`."""
    if event.occurred_on > today:
        raise StepRefused(_("A step that has happened cannot be dated in the future."), field="occurred_on",
                          event=event)
    if state.stage_since and event.occurred_on < state.stage_since:
        raise StepRefused(_("This step cannot be dated before the previous step (%(date)s).")
                          % {"date": state.stage_since.isoformat()}, field="occurred_on", event=event)
    allowed = next_stages(state)
    if event.stage not in allowed:
        raise StepRefused(_refusal(state, event), event=event)
    _check_details(state, event)


def _refusal(state: State, event) -> str:
    label = Stage(event.stage).label
    if not state.stage:
        return _("An application starts with its preparation; “%(stage)s” cannot come first.") % {"stage": label}
    if state.decision == Decision.REFUSED:
        return _("The application was refused: no step can follow the decision.")
    if state.stage == Stage.ARRIVED:
        return _("The family has arrived: the application has no further step.")
    expected = Stage(ORDER[ORDER.index(state.stage) + 1]).label
    return _("“%(stage)s” cannot follow “%(current)s”: the next step is “%(expected)s”.") % {
        "stage": label, "current": Stage(state.stage).label, "expected": expected}


def _check_details(state: State, event) -> None:
    if event.stage == Stage.SUBMITTED and state.undertaking_signed_on:
        days = (event.occurred_on - state.undertaking_signed_on).days
        if days > UNDERTAKING_VALID_DAYS:
            raise StepRefused(_(
                "The undertaking (IMM 5373) was signed on %(signed)s, %(days)s days before this submission: IRCC "
                "returns an IMM 5373 signed more than 90 days before the application is submitted. Have the "
                "undertaking signed again first.") % {"signed": state.undertaking_signed_on.isoformat(),
                                                       "days": days}, field="occurred_on", event=event)
    if event.stage == Stage.ACKNOWLEDGED and not (event.federal_file_number or "").strip():
        raise StepRefused(_("An acknowledgement needs the federal file number IRCC gave."),
                          field="federal_file_number", event=event)
    if event.stage == Stage.DECISION:
        if event.decision not in Decision.values:
            raise StepRefused(_("Say whether the application was approved or refused."), field="decision",
                              event=event)
        if event.decision == Decision.REFUSED and not (event.reasons or "").strip():
            raise StepRefused(_("A refusal needs its reasons, as the decision letter gives them."),
                              field="reasons", event=event)
    if event.stage == Stage.TRAVEL and state.decision != Decision.APPROVED:
        raise StepRefused(_("Travel follows an approval only."), event=event)


def apply(state: State, event) -> None:
    state.stage, state.stage_since = event.stage, event.occurred_on
    state.steps.append(event)
    if event.stage == Stage.PREPARING:
        state.started_on = event.occurred_on
    elif event.stage == Stage.UNDERTAKING_SIGNED:
        state.undertaking_signed_on = event.occurred_on
    elif event.stage == Stage.SUBMITTED:
        state.submitted_on = event.occurred_on
    elif event.stage == Stage.ACKNOWLEDGED:
        state.federal_file_number = event.federal_file_number.strip()
    elif event.stage == Stage.DECISION:
        state.decision = event.decision
    elif event.stage == Stage.ARRIVED:
        state.arrived_on = event.occurred_on


def replay(events: Iterable, *, today: dt.date) -> State:
    state = State()
    for event in effective(events):
        check_step(state, event, today=today)
        apply(state, event)
    return state


@dataclass(frozen=True)
class StagePeriod:
    stage: str
    started_on: dt.date
    ended_on: dt.date | None  # None: the current stage

    def days(self, today: dt.date) -> int:
        return ((self.ended_on or today) - self.started_on).days

    @property
    def label(self) -> str:
        return Stage(self.stage).label


def periods(steps: list) -> list[StagePeriod]:
    """Time in each stage: from its step to the next step (the current stage runs to today; arrival ends the
    application, so it has no time of its own)."""
    result = []
    for index, step in enumerate(steps):
        if step.stage == Stage.ARRIVED:
            break
        following = steps[index + 1].occurred_on if index + 1 < len(steps) else None
        result.append(StagePeriod(step.stage, step.occurred_on, following))
    return result


def total_days(started_on: dt.date | None, arrived_on: dt.date | None, today: dt.date) -> int | None:
    if started_on is None:
        return None
    return ((arrived_on or today) - started_on).days
