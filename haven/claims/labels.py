"""The deadline rules' labels as claims migration 0002 seeds them, marked for translation.

A rule lives in the database so that an administrator can correct it when the law changes; its label is shown in
the reader's language while it is one of these, and as written once an administrator has reworded it."""
from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext, gettext_noop

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
