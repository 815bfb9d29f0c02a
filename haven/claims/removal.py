"""When a claimant's removal order comes into force (IRPA s.49(2)) and when removal is stayed (IRPR ss.231-232).

Pure functions over the claim's state `s` (a haven.claims.lifecycle.State, which imports this module, so it is not
named in the signatures); the state machine calls them to move the
state past a decision and to refuse a removal order recorded in force too early or a removal while it is stayed.
See docs/deadline-rules.md, "Removal orders and stays", for the text and the readings chosen.
"""
from __future__ import annotations

import datetime as dt
from django.utils.translation import gettext as _

from haven.claims.deadlines import RuleSet
from haven.claims.models import EventType as E
from haven.claims.models import Outcome

# "15 days after the day on which notice is provided" (IRPA s.49(2)(c), (d)(ii), (e), (g), (h)).
IN_FORCE_DAYS = 15
# Bill C-12 (Strengthening Canada's Immigration System and Borders Act, assented to 26 March 2026) rewrote s.49(2):
# a withdrawn claim's removal order now comes into force on the day of the notice ((f)); before, 15 days after it
# (former (d)). The version is chosen by the date of the notice. The consolidation lists a later version from
# 29 April 2026 that we could not read: see the doubt stated in docs/deadline-rules.md.
C12_IN_FORCE = dt.date(2026, 3, 26)


def notice_on(event) -> dt.date:
    """The day notice of a decision was provided: the day its reasons or notice were received, else its date."""
    return event.received_on or event.occurred_on


def clear_in_force(s) -> None:
    s.in_force_from, s.in_force_cite, s.in_force_waits = None, "", False


def after_rpd_decision(s, event, rules: RuleSet, province: str | None) -> None:
    """The earliest day the removal order comes into force after an RPD decision (none for an acceptance)."""
    clear_in_force(s)
    if s.outcome not in (Outcome.REJECTED, Outcome.NO_CREDIBLE_BASIS, Outcome.MANIFESTLY_UNFOUNDED):
        return
    fifteen_days = notice_on(event) + dt.timedelta(days=IN_FORCE_DAYS)
    if s.outcome != Outcome.REJECTED or s.facts.rad_barred:
        s.in_force_from, s.in_force_cite = fifteen_days, _("s.49(2)(c)")
        return
    if event.received_on is None:
        s.in_force_waits = True  # the time to appeal to the RAD runs from the written reasons (IRPR s.159.91)
        return
    appeal_due = rules.due_of("rad_notice_due", event.received_on, province)
    day_after = appeal_due + dt.timedelta(days=1) if appeal_due else fifteen_days
    s.in_force_from, s.in_force_cite = max(fifteen_days, day_after), _("s.49(2)(d)")


def after_rad_decision(s, event) -> None:
    clear_in_force(s)
    if s.outcome in (Outcome.REJECTED, Outcome.NO_CREDIBLE_BASIS, Outcome.MANIFESTLY_UNFOUNDED):
        s.in_force_from = notice_on(event) + dt.timedelta(days=IN_FORCE_DAYS)
        s.in_force_cite = _("s.49(2)(e)")


def after_disposition(s, event) -> None:
    """Withdrawal ((f), or former (d) before C-12), abandonment ((g)) or another disposition. An "other" disposition
    may be a termination ((h), 15 days) or an ineligibility ((a), (b): the same day or 7 days): the safer reading, the
    latest of them, is used."""
    clear_in_force(s)
    notice = notice_on(event)
    if event.type == E.WITHDRAWAL and notice >= C12_IN_FORCE:
        s.in_force_from, s.in_force_cite = notice, _("s.49(2)(f)")
        return
    s.in_force_from = notice + dt.timedelta(days=IN_FORCE_DAYS)
    s.in_force_cite = {E.WITHDRAWAL: _("s.49(2)(d) as it read before 26 March 2026"), E.ABANDONMENT: _("s.49(2)(g)")
                       }.get(event.type) or _("s.49(2)(h)")


def after_ineligibility(s, event) -> None:
    """A claim found ineligible: the removal order comes into force on the day of the determination when the claim is
    ineligible only under s.101(1)(e) (s.49(2)(a)), otherwise seven days after it (s.49(2)(b))."""
    clear_in_force(s)
    if getattr(event, "ineligibility", "") == "e":
        s.in_force_from, s.in_force_cite = event.occurred_on, _("s.49(2)(a)")
    else:
        s.in_force_from, s.in_force_cite = event.occurred_on + dt.timedelta(days=7), _("s.49(2)(b)")


def removal_order_refused(s, e) -> str | None:
    """Why a removal order cannot be recorded as in force on the step's date (IRPA s.49(2)), or None."""
    if s.in_force_waits:
        return _("The removal order cannot be in force yet: the RPD's written reasons are not recorded as received, "
                 "so the time to appeal to the RAD has not started, and a claimant's removal order comes into force "
                 "only after it ends (IRPA s.49(2)(d)).")
    if s.in_force_from and e.occurred_on < s.in_force_from:
        return _("A removal order made against a claimant is conditional and comes into force only on %(date)s "
                 "(IRPA %(provision)s); it cannot be recorded in force on %(day)s.") % {
            "date": s.in_force_from.isoformat(), "provision": s.in_force_cite, "day": e.occurred_on.isoformat()}
    return None


def prra_stay(s, e) -> str | None:
    """IRPR s.232: removal is stayed from the PRRA notification through the last day to apply, and on until the
    decision on an application made in time. A late application gives no stay."""
    if s.prra_notified and not s.prra_applied and s.prra_due and e.occurred_on <= s.prra_due:
        return _("Removal is stayed from the PRRA notification until the time to apply ends on %(date)s (IRPR "
                 "s.232(b)).") % {"date": s.prra_due.isoformat()}
    if s.prra_pending and s.prra_timely:
        return _("Removal is stayed while the PRRA application made in time is decided (IRPR s.232(c)).")
    return None


def removal_refused(s, e, rules: RuleSet, province: str | None) -> str | None:
    if not e.destination_country:
        return _("Give the country of removal.")
    if not s.removal_order:
        return _("There is no removal order in force.")
    if s.protected:
        return _("A protected person may not be removed to a country where they would be at risk (IRPA "
                 "s.115(1)).")
    if s.rad_pending:
        return _("Removal is stayed: an appeal is pending before the RAD (IRPA s.49(2)(c); IRPR s.231).")
    appealable = s.outcome == Outcome.REJECTED and not s.rad_decided and not s.protection_ended \
        and not s.facts.rad_barred
    if appealable and s.reasons_on is None:
        return _("Removal is stayed: the written reasons of the RPD are not recorded as received, so the time to "
                 "appeal to the RAD has not started (IRPA s.49(2)(c)).")
    if appealable and s.reasons_on:
        due = rules.due_of("rad_notice_due", s.reasons_on, province)
        if due and e.occurred_on <= due:
            return _("Removal is stayed: the time to appeal to the RAD runs until %(date)s (IRPA s.49(2)(c)).") % {
                "date": due.isoformat()}
    if s.leave_pending == "rad" or s.jr_pending == "rad":
        return _("Removal is stayed: leave and judicial review of the RAD decision have been sought (IRPR "
                 "s.231(1)).")
    return prra_stay(s, e)
