"""What the deadline pages say about a rule and a deadline, in the reader's language: the seeded rules' labels,
a deadline's status, how a holiday moves it, the Federal Court recess and the days federal offices close beyond
the Interpretation Act s.35(1) holidays.

The deadline rules' labels as claims migration 0002 seeds them are marked for translation.

A rule lives in the database so that an administrator can correct it when the law changes; its label is shown in
the reader's language while it is one of these, and as written once an administrator has reworded it."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from haven.claims.triggers import TRIGGERS

SEEDED_RULE_LABELS = frozenset({
    gettext_noop("12-month PRRA bar ends"),
    gettext_noop("BOC changes and documents due before the hearing"),
    gettext_noop("Basis of Claim form due (port-of-entry claim)"),
    gettext_noop("Federal Court applicant's record due"),
    gettext_noop("Federal Court application for leave due (in Canada)"),
    gettext_noop("Last day to ask the RPD to extend the BOC deadline"),
    gettext_noop("Leave Canada and confirm departure (departure order)"),
    gettext_noop("Minister's notice of intervention due"),
    gettext_noop("Minister's RAD notice of appeal due (positive decision)"),
    gettext_noop("PRRA application due"),
    gettext_noop("PRRA written submissions due"),
    gettext_noop("RAD appellant's record due (perfect the appeal)"),
    gettext_noop("RAD decision due (appeal without a hearing)"),
    gettext_noop("RAD notice of appeal due"),
    gettext_noop("RPD hearing to be held by"),
})


def rule_label(label: str) -> str:
    """A deadline rule's label in the active language (as written when an administrator has changed it)."""
    return gettext(label) if label in SEEDED_RULE_LABELS else label


def trigger_label(key: str, rule_labels: Mapping[str, str] | None = None) -> str:
    """What starts a deadline's period, in the active language: an event's trigger (haven.claims.triggers) or, for
    a period that runs from another deadline, that deadline (its label from `rule_labels`, by rule key)."""
    if key in TRIGGERS:
        return str(TRIGGERS[key])
    if rule_labels and key in rule_labels:
        return gettext("Deadline: %(label)s") % {"label": rule_label(rule_labels[key])}
    return key


def member_tag(number: int) -> str:
    """A joined member's deadline in a calendar feed or an e-mail, which carry no names: the member's place among the
    claim's joined members, as the claim's page numbers them."""
    return gettext("joined member %(number)d") % {"number": number}


class DeadlineStatus(models.TextChoices):
    """What a deadline shows on screen: met in time or late, open, due today, overdue, or for information."""

    MET = "met", _("Met")
    MET_LATE = "met_late", _("Met late")
    CLOSED = "closed", _("Closed without the step")
    INFORMATION = "information", _("For information")
    OVERDUE = "overdue", _("Overdue")
    DUE_TODAY = "today", _("Due today")
    OPEN = "open", _("Open")


def deadline_status(*, due_on: dt.date, completed_on: dt.date | None, responsible: str, today: dt.date,
                    lapsed: bool = False) -> str:
    """The deadline's DeadlineStatus. A step dated after today has not happened and meets nothing (it shows as
    open until its day comes); a deadline met after its due date is met late, and stays on the late list; one
    whose window a later step closed without the step that meets it (`lapsed`) is closed."""
    if completed_on is not None and completed_on <= today:
        if lapsed:
            return DeadlineStatus.CLOSED
        return DeadlineStatus.MET_LATE if completed_on > due_on else DeadlineStatus.MET
    if responsible == "information":
        return DeadlineStatus.INFORMATION
    if due_on < today:
        return DeadlineStatus.OVERDUE
    return DeadlineStatus.DUE_TODAY if due_on == today else DeadlineStatus.OPEN


# Deadlines whose period the Federal Courts Rules do not themselves set (IRPA s.72(2)(b); the Federal Courts
# Citizenship, Immigration and Refugee Protection Rules r.10): whether the Christmas recess of Federal Courts Rules
# r.6(3) stops them is unsettled (docs/deadline-rules.md).
FC_RECESS_DOUBTFUL = frozenset({"fc_leave_due", "fc_record_due"})


def holiday_rule_note(*, direction: str, rollover: str) -> str:
    """How a holiday moves the deadline, in the reader's language."""
    if rollover == "none":
        return gettext("A holiday does not move this deadline.")
    if direction == "before":
        if rollover == "backward":
            return gettext("Counted back from the event: if this day is a holiday, the deadline moves to the "
                           "previous working day.")
        return gettext("Counted back from the event: if this day is a holiday, the deadline moves to the next "
                       "working day.")
    if rollover == "backward":
        return gettext("If this day is a holiday, the deadline moves to the previous working day.")
    return gettext("If this day is a holiday, the deadline moves to the next working day (Interpretation Act "
                   "s.26).")


def recess_note(*, key: str, skip_fc_recess: bool) -> str:
    """The Federal Court Christmas recess and this deadline, in the reader's language ("" when it has no bearing)."""
    if skip_fc_recess:
        return gettext("21 December to 7 January are not counted (Federal Courts Rules r.6(3)).")
    if key in FC_RECESS_DOUBTFUL:
        return gettext("The Federal Court's Christmas recess (21 December to 7 January, Federal Courts Rules "
                       "r.6(3)) applies to periods the Federal Courts Rules set; whether it stops this period is "
                       "unsettled, so Haven counts those days, which gives the earlier date.")
    return ""


# haven.claims.deadlines.OFFICE_CLOSURES, in the reader's language.
OFFICE_CLOSURE_LABELS = {
    "boxing_day": _("Boxing Day"),
    "new_year_monday": _("the Monday after New Year's Day on a Sunday"),
    "remembrance_monday": _("the Monday after Remembrance Day on a Sunday"),
}


def office_closure_note(*, days: Mapping[dt.date, str], counted: dt.date, not_counted: dt.date,
                        counting: bool) -> str:
    """Why a deadline may be another day: `days` ({day: OFFICE_CLOSURES key}) are not holidays under the
    Interpretation Act s.35(1) but federal offices close; `counting`: settings.HAVEN_DEADLINE_FEDERAL_OFFICE_CLOSURES
    is on (Haven counts them)."""
    named = "; ".join(f"{OFFICE_CLOSURE_LABELS[key]} ({day:%Y-%m-%d})" for day, key in sorted(days.items()))
    values = {"days": named, "counted": f"{counted:%Y-%m-%d}", "not_counted": f"{not_counted:%Y-%m-%d}"}
    if counting:
        return gettext("Counted as a holiday because federal offices, including the Board's, are closed (setting "
                       "HAVEN_DEADLINE_FEDERAL_OFFICE_CLOSURES): %(days)s. It is not a holiday under the "
                       "Interpretation Act s.35(1); not counted, this deadline would be %(not_counted)s.") % values
    return gettext("Not a holiday under the Interpretation Act s.35(1), though federal offices, including the "
                   "Board's, are closed: %(days)s. Whether it counts is unsettled: counted, this deadline is "
                   "%(counted)s; not counted, %(not_counted)s. Haven shows the earlier date.") % values
