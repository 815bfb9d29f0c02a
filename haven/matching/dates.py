"""Birth dates as registrations record them: exact, year-only (1 January), swapped, lunar, a year off.

The comparison levels exist twice, in Python (`date_level`, for the intake check and the tests) and as SQL
over the precomputed integer columns (`DATE_LEVELS_SQL`, for Splink on DuckDB or Spark). Both read the same
columns made by `date_features`, so they cannot disagree on what a level means.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

EPOCH = dt.date(1900, 1, 1)
LUNAR_DAYS = 60  # a lunar birthday falls up to about two months from the solar one

_FORMATS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})\.?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), ("y", "m")),
    (re.compile(r"^(\d{4})$"), ("y",)),
]


class BadDate(ValueError):
    """A birth date that cannot be read."""


def parse_birth_date(text: str | None) -> dt.date | None:
    """ISO dates and the common registry forms; a year alone or year-month becomes the 1st (as forms do).
    Empty → None; anything unreadable raises BadDate."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern, order in _FORMATS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups())))
            try:
                return dt.date(parts["y"], parts.get("m", 1), parts.get("d", 1))
            except ValueError as exc:
                raise BadDate(f"not a calendar date: {text!r}") from exc
    raise BadDate(f"unreadable date: {text!r}")


@dataclass(frozen=True)
class DateFeatures:
    year: int | None
    month: int | None
    day: int | None
    daynum: int | None  # days since 1900-01-01
    placeholder: int  # 1 when the date is 1 January (year-only on many forms)


NO_DATE = DateFeatures(None, None, None, None, 0)


def date_features(value: dt.date | None) -> DateFeatures:
    if value is None:
        return NO_DATE
    return DateFeatures(value.year, value.month, value.day, (value - EPOCH).days,
                        1 if (value.month, value.day) == (1, 1) else 0)


# Comparison levels, most to least specific. Labels are shown to caseworkers next to the weights.
LEVELS = [
    ("exact", "Same birth date"),
    ("swap", "Day and month swapped"),
    ("lunar", "Within 60 days (lunar calendar)"),
    ("placeholder", "Same year, one date is a 1 January placeholder"),
    ("year_off", "Year off by one"),
    ("same_year", "Same year only"),
]

DATE_LEVELS_SQL = [
    ("exact", "dob_n_l = dob_n_r AND dob_ph_l = 0"),
    ("swap", "dob_y_l = dob_y_r AND dob_m_l = dob_d_r AND dob_d_l = dob_m_r AND dob_m_l <> dob_d_l"),
    ("lunar", f"abs(dob_n_l - dob_n_r) <= {LUNAR_DAYS} AND dob_ph_l = 0 AND dob_ph_r = 0"),
    ("placeholder", "dob_y_l = dob_y_r AND (dob_ph_l = 1 OR dob_ph_r = 1)"),
    ("year_off", "abs(dob_y_l - dob_y_r) = 1 AND ((dob_m_l = dob_m_r AND dob_d_l = dob_d_r) "
                 "OR dob_ph_l = 1 OR dob_ph_r = 1)"),
    ("same_year", "dob_y_l = dob_y_r"),
]
DATE_NULL_SQL = "dob_n_l IS NULL OR dob_n_r IS NULL"


def date_level(a: dt.date | None, b: dt.date | None) -> str | None:
    """The level two birth dates meet at (None when either is missing, 'different' when none applies)."""
    fa, fb = date_features(a), date_features(b)
    if fa.daynum is None or fb.daynum is None:
        return None
    if fa.daynum == fb.daynum and not fa.placeholder:
        return "exact"
    if fa.year == fb.year and fa.month == fb.day and fa.day == fb.month and fa.month != fa.day:
        return "swap"
    if abs(fa.daynum - fb.daynum) <= LUNAR_DAYS and not fa.placeholder and not fb.placeholder:
        return "lunar"
    if fa.year == fb.year and (fa.placeholder or fb.placeholder):
        return "placeholder"
    if abs(fa.year - fb.year) == 1 and ((fa.month, fa.day) == (fb.month, fb.day) or fa.placeholder
                                        or fb.placeholder):
        return "year_off"
    if fa.year == fb.year:
        return "same_year"
    return "different"
