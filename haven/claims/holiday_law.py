"""Each province's and territory's non-juridical days, as the federal Interpretation Act s.35(1) counts them.

Section 35(1) makes a holiday, besides its federal list, "any day that is a non-juridical day by virtue of an Act of
the legislature of the province" and any day the province's lieutenant governor proclaims a public holiday. So a
federal deadline in Quebec that ends on 2 January moves to the next juridical day (Code of Civil Procedure art.
82), and one in Ontario that ends on Family Day moves too (Legislation Act, 2006 s.88).

Each day below names the provincial provision it comes from. A day whose provision was read (or quoted in full by
a source that names it) is `verified`; the others come from the `holidays` package's list of the province's
statutory holidays, which follows employment-standards lists rather than the interpretation acts. Counting an
extra holiday can only make a deadline later, so unverified days are **not** counted unless
settings.HAVEN_DEADLINE_UNVERIFIED_PROVINCIAL_HOLIDAYS is True: the earlier date is the safer reading. Days already on
the federal list (haven.claims.deadlines.federal_holidays) are not repeated here. docs/deadline-rules.md lists the
sources and what remains unverified.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import holidays

ONE_DAY = dt.timedelta(days=1)
MONDAY, SUNDAY, SATURDAY = 0, 6, 5

QC_CCP = "https://www.legisquebec.gouv.qc.ca/fr/document/lc/C-25.01#se:82"
QC_INTERPRETATION_ACT = "https://www.legisquebec.gouv.qc.ca/fr/document/lc/I-16#se:61"
ON_LEGISLATION_ACT = "https://www.ontario.ca/laws/statute/06l21"
BC_INTERPRETATION_ACT = "https://www.bclaws.gov.bc.ca/civix/document/id/complete/statreg/96238_01"
MB_INTERPRETATION_ACT = "https://web2.gov.mb.ca/laws/statutes/ccsm/i080.php"
MB_LOUIS_RIEL_DAY = "https://web2.gov.mb.ca/laws/statutes/2007/c01807f.php"
NL_INTERPRETATION_ACT_2019 = "https://www.assembly.nl.ca/Legislation/sr/Annualstatutes/2019/1911.chp.htm"
NB_FAMILY_DAY_BILL = "https://www.legnb.ca/content/house_business/58/3/bills/Bill-67-f.htm"


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


@dataclass(frozen=True)
class NonJuridicalDay:
    """One provincial holiday: its name, the day it falls on in a year (None: not that year), and its source."""

    name: str
    on: Callable[[int], dt.date | None]
    citation: str
    url: str = ""
    verified: bool = True
    since: int | None = None  # first year it applies

    def date_in(self, year: int) -> dt.date | None:
        if self.since is not None and year < self.since:
            return None
        return self.on(year)


def _fixed(month: int, day: int) -> Callable[[int], dt.date]:
    return lambda year: dt.date(year, month, day)


def _only_if(weekday: int, month: int, day: int, shift: int) -> Callable[[int], dt.date | None]:
    """The day `shift` days after month/day, in the years when month/day falls on `weekday`."""
    def on(year: int) -> dt.date | None:
        anchor = dt.date(year, month, day)
        return anchor + dt.timedelta(days=shift) if anchor.weekday() == weekday else None
    return on


QC_ART_82 = "Code of Civil Procedure (CQLR c. C-25.01) art. 82"
QC_S_61 = "Interpretation Act (CQLR c. I-16) s.61(23), through Code of Civil Procedure art. 82"
ON_S_88 = "Legislation Act, 2006 (S.O. 2006, c. 21, Sch. F) s.88"
BC_S_29 = "Interpretation Act (R.S.B.C. 1996, c. 238) s.29 \"holiday\""
MB_S_23 = "The Interpretation Act (C.C.S.M. c. I80) s.23(1), item 2.1 (S.M. 2007, c. 18, s.2)"
NL_S_27 = "Interpretation Act (RSNL 1990, c. I-19) s.27(1)(l)(ii), as substituted by SNL 2019, c. 11, s.1(1)"
NB_S_38 = ("Interpretation Act (R.S.N.B. 1973, c. I-13) s.38 \"holiday\" (\"jour férié\"), as amended by Bill 67 "
           "(58th Legislature, 3rd session), s.3")

VERIFIED: dict[str, tuple[NonJuridicalDay, ...]] = {
    # Art. 82: the courts do not sit on Saturdays, on the holidays of s.61 of the Interpretation Act (I-16), nor on
    # 26 December and 2 January, "considered holidays in civil procedure".
    "QC": (
        NonJuridicalDay("2 January", _fixed(1, 2), QC_ART_82, QC_CCP),
        NonJuridicalDay("Fête nationale (24 June)", _fixed(6, 24), QC_S_61, QC_INTERPRETATION_ACT),
        NonJuridicalDay("2 July (1 July is a Sunday)", _only_if(SUNDAY, 7, 1, 1), QC_S_61, QC_INTERPRETATION_ACT),
        NonJuridicalDay("26 December", _fixed(12, 26), QC_ART_82, QC_CCP),
    ),
    "ON": (
        NonJuridicalDay("Family Day", lambda year: nth_weekday(year, 2, MONDAY, 3), ON_S_88, ON_LEGISLATION_ACT,
                        since=2008),
        NonJuridicalDay("Boxing Day", _fixed(12, 26), ON_S_88, ON_LEGISLATION_ACT),
        # s.88(5): Christmas on a Saturday makes the following Monday a holiday, on a Sunday the following Tuesday.
        NonJuridicalDay("Monday after Christmas on a Saturday (s.88(5))", _only_if(SATURDAY, 12, 25, 2), ON_S_88,
                        ON_LEGISLATION_ACT),
        NonJuridicalDay("Tuesday after Christmas on a Sunday (s.88(5))", _only_if(SUNDAY, 12, 25, 2), ON_S_88,
                        ON_LEGISLATION_ACT),
    ),
    "BC": (
        NonJuridicalDay("British Columbia Day", lambda year: nth_weekday(year, 8, MONDAY, 1), BC_S_29,
                        BC_INTERPRETATION_ACT),
        NonJuridicalDay("26 December", _fixed(12, 26), BC_S_29, BC_INTERPRETATION_ACT),
        # Added to s.29 after the consolidation read (2012); its date moved from the second to the third Monday of
        # February in 2019: from a secondary source only.
        NonJuridicalDay("Family Day", lambda year: nth_weekday(year, 2, MONDAY, 2 if year < 2019 else 3), BC_S_29,
                        BC_INTERPRETATION_ACT, verified=False, since=2013),
    ),
    "MB": (
        NonJuridicalDay("Louis Riel Day", lambda year: nth_weekday(year, 2, MONDAY, 3), MB_S_23, MB_LOUIS_RIEL_DAY,
                        since=2008),
    ),
    # "holiday" means every Sunday; "New Year's Day, Good Friday, Victoria Day, Memorial Day or Canada Day, Labour
    # Day, Thanksgiving Day, Remembrance Day, Christmas Day and Boxing Day"; the Sovereign's birthday; days appointed
    # by Parliament or proclamation; and municipal days (one chosen by a council, the St. John's and Harbour Grace
    # regattas: not counted, the place of filing is not recorded). Nothing else: St. Patrick's, St. George's,
    # Discovery and Orangemen's Days are not in it. Boxing Day is the only day beyond the federal s.35(1) list.
    "NL": (
        NonJuridicalDay("Boxing Day", _fixed(12, 26), NL_S_27, NL_INTERPRETATION_ACT_2019),
    ),
    # Bill 67, s.3: in the definition of "jour férié", "le jour de l'An" becomes "le jour de l'An, le jour de la
    # Famille, selon la définition que donne de ce terme la Loi sur les normes d'emploi", which s.2(1)(b) of the same
    # bill defines as "le troisième lundi du mois de février". First observed in 2018.
    "NB": (
        NonJuridicalDay("Family Day", lambda year: nth_weekday(year, 2, MONDAY, 3), NB_S_38, NB_FAMILY_DAY_BILL,
                        since=2018),
    ),
}

# Provinces and territories whose interpretation act's list of holidays could not be read in full: the provincial
# days the `holidays` package lists for them, beyond the days above, are unverified (counted only with the setting).
# MB and NB: only the items above were read. QC, ON, BC and NL: their lists were read, so the package adds nothing.
UNVERIFIED_PROVINCES = frozenset({"AB", "MB", "NB", "NS", "NT", "NU", "PE", "SK", "YT"})


def _package_days(province: str, year: int, federal: set[dt.date]) -> dict[dt.date, str]:
    """The `holidays` package's statutory days of the province that the federal list does not already have."""
    listed = holidays.Canada(years=year, subdiv=province, observed=False)
    return {day: name for day, name in listed.items() if day not in federal}


def provincial_non_juridical_days(province: str, year: int, federal: set[dt.date], *,
                                  include_unverified: bool) -> dict[dt.date, str]:
    """{day: name} of the province's non-juridical days of a year beyond the federal list (`federal`)."""
    days: dict[dt.date, str] = {}
    for entry in VERIFIED.get(province, ()):
        if entry.verified or include_unverified:
            day = entry.date_in(year)
            if day is not None and day not in federal:
                days.setdefault(day, entry.name)
    if include_unverified and province in UNVERIFIED_PROVINCES:
        for day, name in _package_days(province, year, federal).items():
            days.setdefault(day, f"{name} (unverified)")
    return days


def sources() -> list[tuple[str, str, str, str, bool]]:
    """(province, day, citation, url, verified) of every listed day, for the documentation and its test."""
    return [(province, entry.name, entry.citation, entry.url, entry.verified)
            for province, entries in VERIFIED.items() for entry in entries]
