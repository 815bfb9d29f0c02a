"""How and when a claim was made (IRPR s.159.8; IRPA s.101): the fields and the checks the claim services apply
to them. The route decides the Basis of Claim deadline."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from haven.claims.models import Claim, IntakeRoute
from haven.records.dates import check_not_future, today_for

INTAKE_FIELDS = ("intake_route", "entered_canada_on", "us_land_crossing", "claim_made_on")


def set_intake(claim: Claim, intake: dict, referred_on: dt.date | None = None) -> None:
    """Set the given intake fields on the claim (None: leave as is) and check them: dates of things that happened,
    the claim made on or after the entry and on or before the referral (`referred_on`, or the claim's)."""
    for name, value in intake.items():
        if value is not None:
            setattr(claim, name, value.strip().lower().replace("-", "_") if isinstance(value, str) else value)
    if not claim.intake_route:
        claim.intake_route = IntakeRoute.PORT_OF_ENTRY
    today = today_for(claim.case.organization)
    for name in ("entered_canada_on", "claim_made_on"):
        check_not_future(getattr(claim, name), organization=claim.case.organization, field=name, today=today)
    if claim.entered_canada_on and claim.claim_made_on and claim.claim_made_on < claim.entered_canada_on:
        raise ValidationError({"claim_made_on": _("The claim cannot be made before the claimant entered Canada.")})
    referred_on = referred_on or claim.referred_on
    if claim.claim_made_on and referred_on and referred_on < claim.claim_made_on:
        raise ValidationError({"claim_made_on": _("The claim cannot be made after it was referred to the RPD.")})
