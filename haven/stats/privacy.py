"""Disclosure control for figures meant for outside use.

IRCC publishes counts rounded to the nearest 5 and prints "--" for a small
count it suppresses; the IRB prints "--" for values under its threshold. Haven's
outside-use ("published") output does the same:

- a count of 0 stays 0 (a true zero identifies no one);
- a count from 1 to HAVEN_STATS_SUPPRESS_BELOW − 1 (default 1–4) is suppressed and shown as "--";
- any other count is rounded to the nearest multiple of HAVEN_STATS_ROUND_TO (default 5), halves upward
  (so 12 → 10, 13 → 15, 7 → 5);
- a rate is recomputed from the rounded numerator and denominator, and suppressed when either of them is,
  so a rate never reveals the exact counts behind it.

Secondary suppression (hiding a second cell so a suppressed one cannot be recovered from a total) is not
needed for these tables because they print no totals row; a report that adds one must apply it.
"""
from __future__ import annotations

import os
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

SUPPRESSED = "--"


def suppress_below() -> int:
    return int(getattr(settings, "HAVEN_STATS_SUPPRESS_BELOW", os.environ.get("HAVEN_STATS_SUPPRESS_BELOW", 5)))


def round_to() -> int:
    return int(getattr(settings, "HAVEN_STATS_ROUND_TO", os.environ.get("HAVEN_STATS_ROUND_TO", 5)))


def protect_count(value: int | None) -> int | str | None:
    """The outside-use form of a count: 0, "--" or a multiple of the rounding base."""
    if value is None or value == 0 or value == SUPPRESSED:
        return value
    if value < 0:
        raise ValueError("counts are never negative")
    if value < suppress_below():
        return SUPPRESSED
    base = round_to()
    return int((Decimal(value) / base).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * base


def rate(numerator, denominator, places: int = 4) -> Decimal | str | None:
    """numerator / denominator to `places` decimals; None when the denominator is 0 or missing;
    "--" when either side is suppressed."""
    if numerator == SUPPRESSED or denominator == SUPPRESSED:
        return SUPPRESSED
    if not denominator:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(numerator or 0) / Decimal(denominator)).quantize(quantum, rounding=ROUND_HALF_UP)
