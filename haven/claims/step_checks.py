"""Checks of a step before haven.claims.services saves it: its dates have happened, its country of removal was
checked against the file, whose step it is (the claim's or a joined member's), and every timeline of the claim
(the claim's own and each member's with a decision of their own, haven.claims.members) still replays."""
from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.claims.deadlines import RuleSet
from haven.claims.events import claim_facts
from haven.claims.lifecycle import State, replay
from haven.claims.members import has_own_timeline, replay_member
from haven.claims.models import Claim, ClaimEvent, EventType, JoinedClaimant
from haven.people.codes import country_code, country_name
from haven.people.models import Nationality
from haven.records.dates import check_not_future, today_for

# The CBSA once reported removals to North Korea that were a data-entry error (seed-statistics.csv, The Tyee).
DESTINATION_WARNING = gettext_lazy(
    "CBSA once reported 12 removals to North Korea that were later blamed on a data-entry error: an incorrect "
    "country of removal was listed (The Tyee, 11 September 2014). Check the destination and confirm it explicitly.")
# A step records something that happened: its date and the date its reasons were received cannot be after today
# in the organization. The hearing date of a scheduled or postponed hearing (scheduled_for) may be.
HAPPENED_FIELDS = ("occurred_on", "received_on")


def country(value: str, field: str) -> str:
    try:
        return country_code(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def check_happened(claim: Claim, event: ClaimEvent, names: Iterable[str] = HAPPENED_FIELDS) -> None:
    dated = [name for name in names if getattr(event, name)]
    if dated:
        organization = claim.case.organization
        today = today_for(organization)
        for name in dated:
            check_not_future(getattr(event, name), organization=organization, field=name, today=today)


def check_destination(claim: Claim, event: ClaimEvent, confirm: bool) -> None:
    if event.type not in (EventType.REMOVAL, EventType.REMOVAL_ORDER) or not event.destination_country:
        event.destination_confirmed = False
        return
    event.destination_country = country(event.destination_country, "destination_country")
    people = [claim.claimant_id, *claim.members.values_list("pk", flat=True)]
    held = set(Nationality.objects.filter(person_id__in=people).exclude(status=Nationality.Status.REFUSED)
               .values_list("country", flat=True))
    problems = []
    named = country_name(event.destination_country)  # the country's name, never its bare code
    if event.destination_country not in held:
        problems.append(_("%(country)s matches no nationality on file for the claimant or joined members.")
                        % {"country": named})
    if event.destination_country == claim.country_of_persecution:
        problems.append(_("%(country)s is the country of persecution alleged in the claim.") % {"country": named})
    if problems and not confirm:
        raise ValidationError({"destination_country": [*problems, str(DESTINATION_WARNING)]})
    event.destination_confirmed = bool(problems)


def check_step_claimant(claim: Claim, claimant: JoinedClaimant | None) -> JoinedClaimant | None:
    """Whose step it is: None for the claim's (the principal claimant's record counts as the claim), else a joined
    member of this claim with a decision of their own, whose later proceedings it starts or continues."""
    if claimant is None or (claimant.claim_id == claim.pk and claimant.is_principal):
        return None
    if claimant.claim_id != claim.pk:
        raise ValidationError({"claimant": _("This person is not in this claim's file: choose the claim itself or "
                                             "one of its joined members.")})
    if not has_own_timeline(claimant):
        raise ValidationError({"claimant": _("Record this member's own decision first: until then the claim's "
                                             "steps are theirs (RPD Rules r.55).")})
    return claimant


def own_decision_members(claim: Claim) -> list[JoinedClaimant]:
    return [row for row in claim.claimants.filter(is_principal=False, own_decision=True) if has_own_timeline(row)]


def replay_claim(claim: Claim, events: list, rules: RuleSet, members: list[JoinedClaimant] | None = None) -> State:
    """Replay the claim's own steps, then each member's timeline (haven.claims.members) with the same rules;
    StepRefused (lifecycle) names the step refused. Returns the claim's state."""
    facts = claim_facts(claim)
    state = replay([e for e in events if e.claimant_id is None], rules=rules, province=claim.province,
                   facts=facts)
    for member in own_decision_members(claim) if members is None else members:
        replay_member(member, events, rules=rules, province=claim.province, facts=facts)
    return state
