"""The time bars on eligibility added to IRPA s.101 by the Strengthening Canada's Immigration System and Borders Act
(S.C. 2026, c. 4, Bill C-12, assented to 26 March 2026), as dated, configurable data.

Read in the consolidated Act (Justice Canada's XML of IRPA, current to 31 March 2026, and of S.C. 2026, c. 4;
docs/deadline-rules.md quotes them): s.73 of the Act (Part 8, in force on assent) added to s.101(1)

- (b.1) "the claimant entered Canada after June 24, 2020 and made the claim more than one year after the day of
  their entry", and s.101(1.1): after several entries "the one-year period ... begins on the day after the day of
  their first entry";
- (b.2) "the claimant entered Canada at a location along the Canada–United States land border ... that is not a port
  of entry and made the claim after the end of the time limit referred to in subsection 159.4(1.1)" of the
  Regulations, whose time limit is a claim made "less than 14 days after the day on which the claimant enters
  Canada": a claim made 14 days or more after the crossing is caught (the last day is the 13th day after it).

Section 75 of the Act: they "do not apply to a claim ... made before the day on which Bill C-2 ... was introduced"
and apply to claims made from that day to the day before assent. That day, 3 June 2025, is from Parliament's record
as reported (not read on parl.ca), so each bar keeps its dates in settings.HAVEN_ELIGIBILITY_TIME_BARS:
{"one_year": {"claims_from": "2025-06-03", "entered_after": "2020-06-24", "enabled": True}, ...}.

An ineligible claimant may still apply for a pre-removal risk assessment (IRPA s.112(2)(b) bars only claims
ineligible under s.101(1)(e)). Nothing here decides a claim: an officer does (IRPA s.100(1)). Haven records the
decision as a step (eligible / ineligible, with the paragraph) and shows these concerns beside it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from haven.claims.deadlines import add_months
from haven.claims.models import USLandCrossing

ACT = ("IRPA s.101(1)(b.1), (b.2) and (1.1), added by the Strengthening Canada's Immigration System and Borders "
       "Act, S.C. 2026, c. 4 (Bill C-12), s.73; applied by s.75")
ACT_URL = "https://laws-lois.justice.gc.ca/eng/acts/I-2.5/section-101.html"
DOUBT = _("IRPA s.101(1)(b.1) and (b.2), added by S.C. 2026, c. 4, s.73, in force since 26 March 2026 (read in the "
          "consolidated Act). Section 75 applies them to claims made from the day Bill C-2 was introduced in the "
          "House of Commons; Haven takes that day to be 3 June 2025, which was not checked on Parliament's site. "
          "The fourteen-day rule counts as IRPR s.159.4(1.1) does: a claim made 14 days or more after the "
          "crossing is caught.")


@dataclass(frozen=True)
class TimeBar:
    key: str
    claims_from: dt.date  # claims made on or after this day
    entered_after: dt.date | None  # entries after this day only
    months: int = 0
    days: int = 0
    between_ports_only: bool = False
    enabled: bool = True
    citation: str = ACT

    def last_day(self, entered_on: dt.date) -> dt.date:
        """The last day a claim may be made (Interpretation Act s.27(2), s.28; not moved by holidays: a claim
        can be made online on any day)."""
        return add_months(entered_on, self.months) + dt.timedelta(days=self.days)


DEFAULT_BARS = (
    TimeBar("one_year", claims_from=dt.date(2025, 6, 3), entered_after=dt.date(2020, 6, 24), months=12),
    # s.101(1)(b.2) catches a claim made after the time limit of IRPR s.159.4(1.1), "less than 14 days after the
    # day on which the claimant enters Canada" (Interpretation Act s.27(2)): the 13th day after entry is the last.
    TimeBar("fourteen_days", claims_from=dt.date(2025, 6, 3), entered_after=None, days=13,
            between_ports_only=True),
)


def time_bars() -> tuple[TimeBar, ...]:
    """DEFAULT_BARS with settings.HAVEN_ELIGIBILITY_TIME_BARS applied ({key: {field: value}}, dates as ISO text)."""
    overrides = getattr(settings, "HAVEN_ELIGIBILITY_TIME_BARS", {}) or {}
    bars = []
    for bar in DEFAULT_BARS:
        changes = dict(overrides.get(bar.key, {}))
        for name in ("claims_from", "entered_after"):
            if isinstance(changes.get(name), str):
                changes[name] = dt.date.fromisoformat(changes[name])
        bars.append(replace(bar, **changes))
    return tuple(bars)


@dataclass(frozen=True)
class Concern:
    key: str
    message: str
    last_day: dt.date | None = None


def _applies(bar: TimeBar, claim) -> bool:
    if not bar.enabled or claim.entered_canada_on is None:
        return False
    if bar.entered_after is not None and claim.entered_canada_on <= bar.entered_after:
        return False
    return not bar.between_ports_only or claim.us_land_crossing == USLandCrossing.BETWEEN_PORTS


def eligibility_concerns(claim) -> list[Concern]:
    """The time bars that make the claim ineligible, with the last day it could be made. A claim without its
    entry date or the date it was made gets a reminder to record them."""
    if claim.entered_canada_on is None or claim.claim_made_on is None:
        return [Concern("dates_unknown", str(_("Record the date of entry to Canada and the date the claim was made: "
                                               "the one-year and fourteen-day rules of IRPA s.101 count from "
                                               "them.")))]
    concerns = []
    made_on = claim.claim_made_on
    for bar in time_bars():
        if not _applies(bar, claim):
            continue
        last = bar.last_day(claim.entered_canada_on)
        if made_on < bar.claims_from or made_on <= last:
            continue
        messages = {
            "one_year": _("The claim was made more than one year after the entry to Canada (last day: %(date)s): "
                          "under IRPA s.101(1)(b.1) it is not eligible to be referred to the RPD; the claimant may "
                          "apply for a pre-removal risk assessment when notified."),
            "fourteen_days": _("The claimant crossed from the United States between ports of entry and the claim "
                               "was made 14 days or more later (last day: %(date)s): under IRPA s.101(1)(b.2) it "
                               "is not eligible to be referred to the RPD; the claimant may apply for a "
                               "pre-removal risk assessment when notified."),
        }
        concerns.append(Concern(bar.key, str(messages[bar.key] % {"date": last.isoformat()}), last))
    return concerns
