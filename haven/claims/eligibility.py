"""The time bars on eligibility added to IRPA s.101 by the Strengthening Canada's Immigration System and Borders Act
(S.C. 2026, c. 4, Bill C-12, assented to 26 March 2026), as dated, configurable data.

- One-year rule: a claim made on or after 3 June 2025, more than one year after the claimant's first entry to
  Canada after 24 June 2020, is not eligible to be referred to the RPD.
- Fourteen-day rule: a claim made on or after 3 June 2025 by a claimant who entered from the United States by land
  between ports of entry, more than 14 days after that entry, is not eligible either.

An ineligible claimant may still apply for a pre-removal risk assessment (IRPA s.112) once notified.

What was verified: the Act's title, chapter and assent (laws-lois annual statutes 2026, c. 4) and that Part 6
amends s.100; the two rules, their dates and the PRRA route are as the Government's and several lawyers' summaries
describe them. Not verified: the enacted wording and paragraph numbers of s.101, and which provisions came into
force on assent (s.64(1) of the Act leaves the rest to orders in council). Until they are, each bar is applied as
summarized, which flags more claims rather than fewer (the safer reading), the page says so, and
settings.HAVEN_ELIGIBILITY_TIME_BARS can change a bar's dates or switch it off: {"one_year": {"claims_from":
"2025-06-03", "entered_after": "2020-06-24", "enabled": True}, ...}.

Nothing here decides a claim: an officer does (IRPA s.100(1)). Haven records the decision as a step (eligible /
ineligible, with the paragraph) and shows these concerns beside it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from haven.claims.deadlines import add_months
from haven.claims.models import USLandCrossing

ACT = "Strengthening Canada's Immigration System and Borders Act, S.C. 2026, c. 4 (Bill C-12), Part 6"
ACT_URL = "https://laws-lois.justice.gc.ca/eng/AnnualStatutes/2026_4/"
DOUBT = _("Enacted by S.C. 2026, c. 4 (assented to 26 March 2026). The paragraph of IRPA s.101 and the coming "
          "into force of these rules were not verified against the consolidated Act: Haven applies them as the "
          "Government summarized them, which flags more claims, not fewer. Confirm on laws-lois before relying on "
          "this.")


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
    TimeBar("fourteen_days", claims_from=dt.date(2025, 6, 3), entered_after=None, days=14,
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
                          "under the one-year rule it is not eligible to be referred to the RPD; the claimant may "
                          "apply for a pre-removal risk assessment when notified."),
            "fourteen_days": _("The claimant crossed from the United States between ports of entry and the claim "
                               "was made more than 14 days later (last day: %(date)s): under the fourteen-day rule "
                               "it is not eligible to be referred to the RPD; the claimant may apply for a "
                               "pre-removal risk assessment when notified."),
        }
        concerns.append(Concern(bar.key, str(messages[bar.key] % {"date": last.isoformat()}), last))
    return concerns
