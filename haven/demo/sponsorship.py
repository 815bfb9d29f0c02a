"""The sponsorship organization's demo: sponsor profiles for its groups and five families at different stages of
the pilot (one arrived and in month 4 of support, one in Thailand awaiting its interview, ...), with eligibility
answers, settlement plans and schedules, all written through the sponsorship services (so they are checked and
audited). Dates count back from the load date, so ages and alerts are live."""
from __future__ import annotations

import datetime as dt

from haven.cases.models import Case
from haven.sponsorship import plans, services
from haven.sponsorship.models import Program, SponsorKind, SponsorshipApplication, Stage

GROUP_KINDS = (SponsorKind.GROUP_OF_FIVE, SponsorKind.CONSTITUENT_GROUP, SponsorKind.CO_SPONSOR)
ORDER = list(Stage.values)
# (last stage reached, days from preparation to each step, priority reason, transit country, extra)
FAMILIES = (
    (Stage.ARRIVED, "Survivor of sexual and gender-based violence", "TH"),
    (Stage.IN_ASSESSMENT, "Mother and two children", "TH"),
    (Stage.MEDICAL, "", "TH"),
    (Stage.SUBMITTED, "", "LA"),
    (Stage.UNDERTAKING_SIGNED, "", "TH"),
)
STEP_GAP_DAYS = {Stage.UNDERTAKING_SIGNED: 40, Stage.SUBMITTED: 60, Stage.ACKNOWLEDGED: 45,
                 Stage.IN_ASSESSMENT: 120, Stage.INTERVIEW: 300, Stage.MEDICAL: 60, Stage.SECURITY: 45,
                 Stage.DECISION: 90, Stage.TRAVEL: 30, Stage.ARRIVED: 20}


def load_sponsorship_demo(*, organization, groups: list, actor, approver, today: dt.date) -> int:
    """Five applications on the organization's first sponsorship cases; returns how many were created."""
    for team, kind in zip(groups, GROUP_KINDS):
        services.save_sponsor_profile(actor=actor, team=team, kind=kind, community=team.name.split()[0])
        services.add_sponsor_member(actor=actor, profile=team.sponsor_profile, name=f"{team.name} lead",
                                    role="signatory")
    cases = list(Case.objects.filter(organization=organization, kind=Case.Kind.SPONSORSHIP,
                                     sponsor_group__isnull=False).exclude(sponsorship_application__isnull=False)
                 .select_related("sponsor_group").order_by("reference")[:len(FAMILIES)])
    for index, (case, (last, reason, country)) in enumerate(zip(cases, FAMILIES)):
        _family(case, last=last, reason=reason, country=country, actor=actor, approver=approver, today=today,
                extended=index == 0)
    return len(cases)


def _dates(last: str, today: dt.date) -> list[tuple[str, dt.date]]:
    """The steps up to `last`, spaced as the pilot's were, ending recently (arrival: about 3 months ago)."""
    steps = ORDER[:ORDER.index(last) + 1]
    total = sum(STEP_GAP_DAYS.get(stage, 0) for stage in steps)
    end = today - dt.timedelta(days=100 if last == Stage.ARRIVED else 20)
    day, result = end - dt.timedelta(days=total), []
    for stage in steps:
        day += dt.timedelta(days=STEP_GAP_DAYS.get(stage, 0))
        result.append((stage, day))
    return result


def _family(case, *, last, reason, country, actor, approver, today, extended: bool) -> SponsorshipApplication:
    dates = _dates(last, today)
    recognized = "UNHCR mandate refugee certificate (synthetic)"
    application = services.create_application(
        actor=actor, case=case, sponsor_group=case.sponsor_group, program=Program.objects.get(code="PSR"),
        transit_country=country, started_on=dates[0][1], recognition_proof=recognized,
        priority=bool(reason), priority_reason=reason)
    for stage, day in dates[1:]:
        details = {"federal_file_number": f"B{case.pk:09d}"} if stage == Stage.ACKNOWLEDGED else {}
        if stage == Stage.DECISION:
            details = {"decision": "approved"}
        services.record_step(actor=actor, application=application, stage=stage, occurred_on=day, **details)
    for question, answer in (("convention_refugee", "yes"), ("no_repatriation", "yes"),
                             ("no_local_integration", "yes"), ("rok_nationality_unavailable", "unknown"),
                             ("recognition_proof", "yes"), ("medical_concern", "no")):
        services.answer_question(actor=actor, case=case, question=question, answer=answer)
    size = max(case.household.members.count(), 1)
    arrived = application.arrived_on
    plan = plans.create_plan(actor=actor, application=application, family_size=size, on=dates[0][1],
                             support_starts_on=arrived)
    plans.add_in_kind(actor=actor, plan=plan, kind="furniture", value="1500.00", description="Donated furniture")
    if extended:
        plans.request_extension(actor=actor, plan=plan, months=18, reason="Medical follow-up for the mother")
        plans.approve_extension(actor=approver, plan=plan)
    return application
