"""Test helpers: the Maple case's sponsorship application (personas of haven.testing.personas), created on first
use through the services, and a second user to approve what the first asked for."""
from __future__ import annotations

import datetime as dt

from haven.sponsorship import plans, services
from haven.sponsorship.models import Program, SponsorKind, SponsorshipApplication, Stage


def maple_application(t) -> SponsorshipApplication:
    existing = SponsorshipApplication.objects.filter(case=t.case).first()
    if existing is not None:
        return existing
    services.save_sponsor_profile(actor=t.admin, team=t.group_a, kind=SponsorKind.CONSTITUENT_GROUP,
                                  community="Toronto")
    application = services.create_application(
        actor=t.owner, case=t.case, sponsor_group=t.group_a, program=Program.objects.get(code="PSR"),
        transit_country="TH", started_on=dt.date(2024, 1, 10), priority=True,
        priority_reason="Survivor of sexual and gender-based violence")
    services.record_step(actor=t.owner, application=application, stage=Stage.UNDERTAKING_SIGNED,
                         occurred_on=dt.date(2024, 2, 1))
    plans.create_plan(actor=t.owner, application=application, family_size=2, on=dt.date(2024, 2, 1))
    return application


def maple_event(t):
    return maple_application(t).events.order_by("-pk").first()
