"""The claim's state machine: which step may follow which, and why a step is refused.

`replay(events)` walks a claim's events in order (date, then the order they
were recorded) and raises StepRefused at the first one the law does not allow
at that point, with a message that says why. The services replay the whole
list on every record, amendment and deletion, so an amendment that would make
a later step impossible is refused too.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from haven.claims import removal
from haven.claims.deadlines import RuleSet, compute_due
from haven.claims.events import BAR_EXEMPT_GROUNDS, DECISION_OUTCOMES, RAD_DECISIONS, RPD_DECISIONS, ClaimFacts
from haven.claims.models import EventType as E
from haven.claims.models import Outcome

NEGATIVE = frozenset({Outcome.REJECTED, Outcome.NO_CREDIBLE_BASIS, Outcome.MANIFESTLY_UNFOUNDED})
# Determinations from which the 12-month PRRA bar runs (IRPA s.112(2)(b.1)), unless on Article 1E/1F or a vacation.
BARRING = NEGATIVE | {Outcome.ABANDONED, Outcome.WITHDRAWN}
# Steps allowed before the claim is referred: the eligibility decision (IRPA s.100(1)); the PRRA and removal steps of
# a claim found ineligible (an ineligible claimant may apply for a PRRA and can be ordered removed); and the Federal
# Court's review of the ineligibility decision (IRPA s.72), which the court steps' own checks allow only after one.
COURT_STEPS = frozenset({E.FC_LEAVE_FILED, E.FC_RECORD_FILED, E.FC_LEAVE_GRANTED, E.FC_LEAVE_REFUSED, E.JR_ALLOWED,
                         E.JR_DISMISSED})
BEFORE_REFERRAL = frozenset({E.ELIGIBLE, E.INELIGIBLE, E.REFERRAL, E.REMOVAL_ORDER, E.REMOVAL,
                             E.PRRA_NOTIFICATION, E.PRRA_APPLIED, E.PRRA_SUBMISSIONS_FILED, E.PRRA_ACCEPTED,
                             E.PRRA_REFUSED, *COURT_STEPS})


class StepRefused(Exception):
    def __init__(self, message: str, event=None):
        super().__init__(message)
        self.message = message
        self.event = event


@dataclass
class State:
    eligibility: str = ""  # "", or the eligibility step recorded: eligible / ineligible
    referred: bool = False
    boc_filed: bool = False
    hearing_scheduled: bool = False
    outcome: str = ""  # the claim's current determination
    ground: str = ""
    reasons_on: dt.date | None = None  # written reasons of an appealable RPD decision
    rad_pending: bool = False
    rad_decided: bool = False
    reviewable: str = ""  # the decision a leave application would challenge: rpd, rad or prra
    leave_pending: str = ""
    jr_pending: str = ""
    court_final: bool = False
    prra_notified: bool = False
    prra_pending: bool = False
    prra_outcome: str = ""
    last_negative_on: dt.date | None = None
    removal_order: str = ""
    removed: bool = False
    protection_ended: bool = False
    ended_by: str = ""  # vacation or cessation
    outcome_on: dt.date | None = None
    stage: str = ""
    facts: ClaimFacts = ClaimFacts()
    rules: RuleSet | None = None
    province: str | None = None
    # IRPA s.49(2): the first day the claimant's removal order can be in force, and the paragraph that says so;
    # in_force_waits while the time to appeal to the RAD has not started (reasons not received).
    in_force_from: dt.date | None = None
    in_force_cite: str = ""
    in_force_waits: bool = False
    # IRPR s.232: the last day to apply for a PRRA after the notification, and whether the application came in time.
    prra_due: dt.date | None = None
    prra_applied: bool = False
    prra_timely: bool = False

    @property
    def before_rpd(self) -> bool:
        return self.referred and self.outcome == ""

    @property
    def protected(self) -> bool:
        return self.outcome == Outcome.ACCEPTED and not self.protection_ended


def ordered(events: Iterable) -> list:
    return sorted(events, key=lambda e: (e.occurred_on, e.pk if e.pk is not None else 10**18))


def replay(events: Iterable, *, rules: RuleSet, province: str | None = None,
           facts: ClaimFacts = ClaimFacts()) -> State:
    state = State(facts=facts, rules=rules, province=province)
    for event in ordered(events):
        message = check(state, event, rules=rules, province=province)
        if message:
            raise StepRefused(message, event)
        before = state.outcome
        apply(state, event)
        if state.outcome != before:
            state.outcome_on = event.occurred_on if state.outcome else None
        state.stage = event.type
    return state


def _label(event) -> str:
    return str(E(event.type).label)


def check(s: State, e, *, rules: RuleSet, province: str | None) -> str | None:
    t = e.type
    if s.removed and t not in (E.FC_LEAVE_GRANTED, E.FC_LEAVE_REFUSED, E.JR_ALLOWED, E.JR_DISMISSED,
                               E.FC_RECORD_FILED):
        return _("The claimant has been removed from Canada; no further step can be recorded after the removal.")
    if not s.referred and t not in BEFORE_REFERRAL:
        return _("“%(step)s” cannot be recorded before the claim is referred to the RPD (IRPA s.100): record the "
                 "referral first.") % {"step": _label(e)}
    if e.received_on and e.received_on < e.occurred_on:
        return _("Reasons cannot be received before the decision is made.")
    rule = _CHECKS.get(t)
    return rule(s, e, rules, province) if rule is not None else None


def _check_eligibility(s: State, e, rules: RuleSet, province: str | None) -> str | None:
    if s.referred:
        return _("Eligibility is determined before the claim is referred to the RPD (IRPA s.100(1)); this claim "
                 "has already been referred.")
    if s.eligibility:
        return _("The claim's eligibility has already been determined; correct or remove that step instead.")
    if e.type == E.INELIGIBLE and not getattr(e, "ineligibility", ""):
        return _("Give the paragraph of IRPA s.101(1) on which the claim was found ineligible.")
    return None


def _check_at_rpd(s: State, e, rules: RuleSet, province: str | None) -> str | None:
    t = e.type
    if t in (E.ELIGIBLE, E.INELIGIBLE):
        return _check_eligibility(s, e, rules, province)
    if t == E.REFERRAL:
        if s.referred:
            return _("The claim has already been referred to the RPD.")
        if s.eligibility == "ineligible":
            return _("A claim found ineligible is not referred to the RPD (IRPA s.100(1), s.101); the claimant may "
                     "apply for a pre-removal risk assessment once notified (IRPA s.112).")
    elif t == E.BOC_FILED:
        if s.boc_filed:
            return _("The Basis of Claim form is already recorded as filed; record changes as a note.")
        if not s.before_rpd:
            return _("The RPD has already disposed of this claim.")
    elif t in (E.HEARING_SCHEDULED, E.HEARING_POSTPONED, E.HEARING_HELD):
        if not s.before_rpd:
            return _("The claim is no longer before the RPD (it has been decided, abandoned or withdrawn), so no "
                     "hearing can be scheduled or held unless it is reinstated, reopened or referred back.")
        if t == E.HEARING_SCHEDULED and not e.scheduled_for:
            return _("Give the date of the hearing.")
        if t != E.HEARING_SCHEDULED and not s.hearing_scheduled:
            return _("No hearing has been scheduled.")
    elif t == E.MINISTER_INTERVENTION:
        if not e.ground:
            return _("Give the ground of the Minister's intervention (e.g. Article 1E).")
        if not (s.before_rpd or s.rad_pending):
            return _("The Minister may intervene only while the claim is before the RPD (RPD Rules r.29) or an "
                     "appeal is before the RAD (RAD Rules r.4).")
    elif t in RPD_DECISIONS:
        if not s.before_rpd:
            return _("The RPD has already disposed of this claim (%(outcome)s); a new decision needs a "
                     "reinstatement, a reopening or a referral back by the RAD or the Federal Court.") % {
                "outcome": Outcome(s.outcome).label if s.outcome else "-"}
    elif t in (E.ABANDONMENT, E.WITHDRAWAL, E.OTHER_DISPOSITION):
        if not s.before_rpd:
            return _("Only a claim still before the RPD can be declared abandoned, withdrawn or otherwise "
                     "finalized (IRPA s.168; RPD Rules r.59).")
    elif t in (E.REINSTATEMENT, E.REOPENING):
        if s.rad_decided or s.court_final:
            return _("The RPD cannot reopen a claim after the RAD or the Federal Court has finally decided it "
                     "(IRPA s.170.2).")
        if t == E.REINSTATEMENT and s.outcome != Outcome.WITHDRAWN:
            return _("Only a withdrawn claim can be reinstated (RPD Rules r.60).")
        if t == E.REOPENING and s.outcome in ("", Outcome.WITHDRAWN):
            return _("Only a claim that was decided or declared abandoned can be reopened (RPD Rules r.62); a "
                     "withdrawn claim is reinstated.")
    return None


def _check_at_rad(s: State, e, rules: RuleSet, province: str | None) -> str | None:
    t = e.type
    if t == E.RAD_APPEAL_FILED:
        if not e.appellant:
            return _("Say who appeals: the claimant or the Minister.")
        bar = _rad_bar(s)
        if bar:
            return bar
        if s.rad_pending:
            return _("An appeal is already pending before the RAD.")
        if s.rad_decided:
            return _("The RAD has already decided the appeal; the Federal Court is the next step (IRPA s.72).")
        if s.outcome not in (Outcome.ACCEPTED, Outcome.REJECTED):
            return _("There is no RPD decision open to appeal.")
        if e.appellant == "claimant" and s.outcome == Outcome.ACCEPTED:
            return _("The RPD allowed the claim: only the Minister may appeal it (IRPR s.159.91).")
    elif t in (E.RAD_RECORD_FILED, E.RAD_PERFECTED) or t in RAD_DECISIONS:
        if not s.rad_pending:
            return _("No appeal is pending before the RAD.")
        if t == E.RAD_SET_ASIDE and e.substituted_outcome not in (Outcome.ACCEPTED, Outcome.REJECTED):
            return _("Say which determination the RAD substituted (accepted or rejected).")
    return None


def _rad_bar(s: State) -> str | None:
    """Why IRPA s.110(2) allows no appeal to the RAD from the claim's current determination, or None."""
    if s.protection_ended:
        if s.ended_by == E.VACATION:
            return _("No appeal lies to the RAD from a decision on an application to vacate refugee protection (IRPA "
                     "s.110(2)(f)). Judicial review in the Federal Court is the remedy.")
        return _("No appeal lies to the RAD from a decision on an application to cease refugee protection (IRPA "
                 "s.110(2)(e)). Judicial review in the Federal Court is the remedy.")
    if s.outcome in (Outcome.ABANDONED, Outcome.WITHDRAWN):
        return _("No appeal lies to the RAD from a determination that a claim has been withdrawn or abandoned (IRPA "
                 "s.110(2)(b)).")
    if s.outcome in (Outcome.NO_CREDIBLE_BASIS, Outcome.MANIFESTLY_UNFOUNDED):
        return _("No appeal lies to the RAD from a decision stating that the claim has no credible basis or "
                 "is manifestly unfounded (IRPA s.110(2)(c)). Judicial review in the Federal Court is the "
                 "remedy, without an automatic stay of removal.")
    if s.outcome in (Outcome.ACCEPTED, Outcome.REJECTED) and s.facts.designated_foreign_national:
        return _("No appeal lies to the RAD from the RPD's decision on the claim of a designated foreign national "
                 "(IRPA s.110(2)(a)), by the claimant or the Minister. Judicial review in the Federal Court is the "
                 "remedy.")
    if s.outcome in (Outcome.ACCEPTED, Outcome.REJECTED) and s.facts.stca_exception:
        return _("No appeal lies to the RAD from the RPD's decision on a claim made from the United States that was "
                 "eligible only under an exception to the Safe Third Country Agreement (IRPA s.110(2)(d)). Judicial "
                 "review in the Federal Court is the remedy.")
    return None


def _check_in_court(s: State, e, rules: RuleSet, province: str | None) -> str | None:
    t = e.type
    if t == E.FC_LEAVE_FILED:
        if s.leave_pending or s.jr_pending:
            return _("An application for leave is already before the Federal Court.")
        if not s.reviewable:
            if s.outcome in (Outcome.ACCEPTED, Outcome.REJECTED) and not s.rad_decided:
                return _("Leave may be sought only once every right of appeal is exhausted: appeal to the RAD first "
                         "(IRPA s.72(2)(a)).")
            return _("There is no decision for the Federal Court to review.")
    elif t == E.FC_RECORD_FILED:
        if not s.leave_pending:
            return _("No application for leave is pending.")
    elif t in (E.FC_LEAVE_GRANTED, E.FC_LEAVE_REFUSED):
        if not s.leave_pending:
            return _("No application for leave is pending.")
    elif t in (E.JR_ALLOWED, E.JR_DISMISSED):
        if not s.jr_pending:
            return _("Judicial review can be decided only after leave is granted (IRPA s.72(1)).")
    return None


def _check_after_claim(s: State, e, rules: RuleSet, province: str | None) -> str | None:
    t = e.type
    if t == E.PRRA_NOTIFICATION:
        if s.before_rpd or s.rad_pending:
            return _("A PRRA is offered only once the claim is no longer before the RPD or the RAD (IRPA s.112).")
        if s.protected:
            return _("The claimant is a protected person; there is no risk assessment before removal to offer.")
    elif t == E.PRRA_APPLIED:
        if not s.prra_notified:
            return _("Record the PRRA notification first.")
        if s.prra_pending:
            return _("A PRRA application is already pending.")
        bar = _prra_bar_end(s, rules, province)
        if bar and e.occurred_on < bar and not getattr(e, "bar_exempt", False):
            return _("The 12-month PRRA bar runs until %(date)s (IRPA s.112(2)(b.1)); an application before then "
                     "is not allowed unless the Minister has exempted the applicant's country (IRPA s.112(2.1)): "
                     "tick the exemption on the application if so.") % {"date": bar.isoformat()}
    elif t in (E.PRRA_SUBMISSIONS_FILED, E.PRRA_ACCEPTED, E.PRRA_REFUSED):
        if not s.prra_pending:
            return _("No PRRA application is pending.")
    elif t == E.REMOVAL_ORDER:
        if not e.order_kind:
            return _("Say which removal order: departure, exclusion or deportation.")
        if s.before_rpd or s.rad_pending:
            return _("A removal order against a claimant is conditional and does not come into force while the "
                     "claim is before the RPD or an appeal is before the RAD (IRPA s.49(2)).")
        if s.protected:
            return _("The claimant is a protected person (IRPA s.95(2)); a removal order cannot come into force on "
                     "the claim.")
        return removal.removal_order_refused(s, e)
    elif t == E.REMOVAL:
        return removal.removal_refused(s, e, rules, province)
    elif t in (E.VACATION, E.CESSATION):
        if not s.protected:
            return _("Only refugee protection that was conferred can be vacated (IRPA s.109) or cease (IRPA "
                     "s.108).")
    return None


def _prra_bar_end(s: State, rules: RuleSet, province: str | None) -> dt.date | None:
    if s.last_negative_on is None:
        return None
    bar_rules = [r for r in rules.by_trigger.get("last_negative_decision", ()) if r.applies_on(s.last_negative_on)]
    return max((compute_due(r, s.last_negative_on, province) for r in bar_rules), default=None)


def apply(s: State, e) -> None:
    """Move the state past the step (check() has allowed it)."""
    transition = _TRANSITIONS.get(e.type)
    if transition is not None:
        transition(s, e)


def _apply_at_rpd(s: State, e) -> None:
    t = e.type
    if t in (E.ELIGIBLE, E.INELIGIBLE):
        s.eligibility = "eligible" if t == E.ELIGIBLE else "ineligible"
        if t == E.INELIGIBLE:
            # No appeal lies from the officer's decision: its notice starts the time to seek leave (IRPA s.72(2)(b)).
            s.reviewable = "eligibility"
            removal.after_ineligibility(s, e)
    elif t == E.REFERRAL:
        s.referred = True
    elif t == E.BOC_FILED:
        s.boc_filed = True
    elif t in (E.HEARING_SCHEDULED, E.HEARING_POSTPONED):
        s.hearing_scheduled = True
    elif t in RPD_DECISIONS:
        s.outcome, s.ground = DECISION_OUTCOMES[t], e.ground
        s.reasons_on = e.received_on
        # No appeal to the RAD (s.110(2)(a), (c), (d)): the decision goes straight to the Federal Court.
        no_appeal = s.outcome in (Outcome.NO_CREDIBLE_BASIS, Outcome.MANIFESTLY_UNFOUNDED) or s.facts.rad_barred
        s.reviewable = "rpd" if no_appeal else ""
        if _bar_starts(s):
            s.last_negative_on = e.occurred_on
        removal.after_rpd_decision(s, e, s.rules, s.province)
    elif t in (E.ABANDONMENT, E.WITHDRAWAL, E.OTHER_DISPOSITION):
        s.outcome = {E.ABANDONMENT: Outcome.ABANDONED, E.WITHDRAWAL: Outcome.WITHDRAWN}.get(t, Outcome.OTHER)
        s.ground = ""
        # Abandonment and other dispositions (termination, ineligibility) are reviewed by the Federal Court.
        s.reviewable = "" if t == E.WITHDRAWAL else "rpd"
        if _bar_starts(s):
            s.last_negative_on = e.occurred_on
        removal.after_disposition(s, e)
    elif t in (E.REINSTATEMENT, E.REOPENING):
        s.outcome, s.ground, s.reasons_on, s.reviewable, s.hearing_scheduled = "", "", None, "", False
        removal.clear_in_force(s)


def _bar_starts(s: State) -> bool:
    """IRPA s.112(2)(b.1): the claim's current determination starts the 12-month PRRA bar, unless it was rejected on
    the basis of Article 1E or 1F or deemed rejected by a vacation (s.109(3))."""
    return s.outcome in BARRING and s.ground not in BAR_EXEMPT_GROUNDS and s.ended_by != E.VACATION


def _court_refused(s: State, target: str, e) -> None:
    """IRPA s.112(2)(b.1)(ii)(C): the bar also runs from the Federal Court's refusal of leave or of judicial review of
    the claim, when that is the latest step."""
    if target in ("rpd", "rad") and _bar_starts(s):
        s.last_negative_on = e.occurred_on


def _apply_at_rad(s: State, e) -> None:
    t = e.type
    if t == E.RAD_APPEAL_FILED:
        s.rad_pending = True
    elif t in RAD_DECISIONS:
        s.rad_pending = False
        s.ground = e.ground or s.ground
        if t == E.RAD_REFERRED_BACK:
            s.outcome, s.reasons_on, s.reviewable, s.hearing_scheduled = "", None, "", False
            removal.clear_in_force(s)
        else:
            s.rad_decided, s.reviewable = True, "rad"
            if t == E.RAD_SET_ASIDE:
                s.outcome = e.substituted_outcome
            if _bar_starts(s):
                s.last_negative_on = e.occurred_on
            removal.after_rad_decision(s, e)


def _apply_in_court(s: State, e) -> None:
    t = e.type
    if t == E.FC_LEAVE_FILED:
        s.leave_pending, s.reviewable = s.reviewable, ""
    elif t == E.FC_LEAVE_REFUSED:
        _court_refused(s, s.leave_pending, e)
        s.leave_pending, s.court_final = "", True
    elif t == E.FC_LEAVE_GRANTED:
        s.jr_pending, s.leave_pending = s.leave_pending, ""
    elif t == E.JR_DISMISSED:
        _court_refused(s, s.jr_pending, e)
        s.jr_pending, s.court_final = "", True
    elif t == E.JR_ALLOWED:
        target, s.jr_pending = s.jr_pending, ""
        if target == "rad":
            s.rad_pending, s.rad_decided, s.reviewable = True, False, ""
            removal.clear_in_force(s)
        elif target == "rpd":
            s.outcome, s.reasons_on, s.reviewable, s.hearing_scheduled = "", None, "", False
            removal.clear_in_force(s)
        elif target == "prra":
            s.prra_pending, s.prra_outcome, s.reviewable = True, "", ""
        elif target == "eligibility":  # the officer determines eligibility again
            s.eligibility = ""
            removal.clear_in_force(s)


def _apply_after_claim(s: State, e) -> None:
    t = e.type
    if t == E.PRRA_NOTIFICATION:
        s.prra_notified, s.prra_applied, s.prra_timely = True, False, False
        s.prra_due = s.rules.due_of("prra_application_due", e.occurred_on, s.province) if s.rules else None
    elif t == E.PRRA_APPLIED:
        s.prra_pending, s.prra_applied = True, True
        # IRPR s.232(b): only an application made within the s.162 period keeps removal stayed.
        s.prra_timely = s.prra_due is None or e.occurred_on <= s.prra_due
    elif t in (E.PRRA_ACCEPTED, E.PRRA_REFUSED):
        s.prra_pending, s.reviewable = False, "prra"
        s.prra_outcome = "accepted" if t == E.PRRA_ACCEPTED else "refused"
        if t == E.PRRA_REFUSED:
            s.last_negative_on = e.occurred_on
    elif t == E.REMOVAL_ORDER:
        s.removal_order = e.order_kind
    elif t == E.REMOVAL:
        s.removed = True
    elif t in (E.VACATION, E.CESSATION):
        s.protection_ended, s.outcome, s.reviewable, s.ended_by, s.ground = True, Outcome.REJECTED, "rpd", t, ""
        if _bar_starts(s):  # cessation deems the claim rejected (s.108(3)); vacation (s.109(3)) starts no bar
            s.last_negative_on = e.occurred_on


# The steps each stage's rules and transitions handle, in the order of the former single chain of branches
# (a step listed in two stages is handled by the first).
_STAGES = (
    ({E.ELIGIBLE, E.INELIGIBLE, E.REFERRAL, E.BOC_FILED, E.HEARING_SCHEDULED, E.HEARING_POSTPONED,
      E.HEARING_HELD, E.MINISTER_INTERVENTION,
      *RPD_DECISIONS, E.ABANDONMENT, E.WITHDRAWAL, E.OTHER_DISPOSITION, E.REINSTATEMENT, E.REOPENING},
     _check_at_rpd, _apply_at_rpd),
    ({E.RAD_APPEAL_FILED, E.RAD_RECORD_FILED, E.RAD_PERFECTED, *RAD_DECISIONS}, _check_at_rad, _apply_at_rad),
    ({E.FC_LEAVE_FILED, E.FC_RECORD_FILED, E.FC_LEAVE_GRANTED, E.FC_LEAVE_REFUSED, E.JR_ALLOWED, E.JR_DISMISSED},
     _check_in_court, _apply_in_court),
    ({E.PRRA_NOTIFICATION, E.PRRA_APPLIED, E.PRRA_SUBMISSIONS_FILED, E.PRRA_ACCEPTED, E.PRRA_REFUSED,
      E.REMOVAL_ORDER, E.REMOVAL, E.VACATION, E.CESSATION}, _check_after_claim, _apply_after_claim),
)


def _by_step(position: int) -> dict:
    """{step type: the function of the first stage that handles it}, for the stages' checks (1) or transitions (2)."""
    found: dict = {}
    for stage in _STAGES:
        for step in stage[0]:
            found.setdefault(step, stage[position])
    return found


_CHECKS = _by_step(1)
_TRANSITIONS = _by_step(2)
