"""The trigger events that start a deadline rule's period, by key. Kept apart from haven.claims.events (which
maps recorded events to triggers and needs the models) so that DeadlineRule.clean can check a rule's trigger
without the models importing back the module that imports them."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TRIGGERS: dict[str, str] = {
    "referral_to_rpd": _("Referral of the claim to the RPD"),
    "hearing_scheduled": _("Date fixed for the RPD hearing"),
    "rpd_reasons_received": _("Receipt of the RPD's written reasons (appealable decision)"),
    "rpd_acceptance_reasons_received": _("Receipt of the RPD's written reasons allowing the claim"),
    "decision_notice_received": _("Notice of a decision open to judicial review"),
    "rad_record_perfected": _("RAD appeal perfected"),
    "fc_leave_filed": _("Federal Court leave application filed"),
    "prra_notification": _("PRRA notification"),
    "departure_order_in_force": _("Departure order in force"),
    "last_negative_decision": _("Last rejection, abandonment, withdrawal or PRRA refusal"),
}
ALL_TRIGGERS = frozenset(TRIGGERS)
