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

- secondary (complementary) suppression: a suppressed cell must not be recoverable from the cells it adds up
  with. A figure declares its additive relations (`Relations`): a total and its parts in a row (finalized =
  accepted + rejected + abandoned + withdrawn and other), and a running stock (pending at the end of a period =
  pending at the end of the previous one + referred − finalized). Whenever exactly one cell of a relation is
  suppressed, the smallest other non-zero cell of that relation is suppressed too, until no relation has a lone
  suppressed cell; then a rate is recomputed, and shows "--" when a count it uses is suppressed.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

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


def rate_of(row: dict[str, Any], numerator: str, denominator: Sequence[str], minus: Sequence[str] = ()):
    """row[numerator] / (sum of row[denominator] − sum of row[minus]), as rate(). "--" when a count it uses is
    suppressed; in published rows, whose counts are rounded separately, "--" too when the difference is not a
    positive number at least as large as the numerator (rounding, not the data, would make that rate)."""
    values = [row.get(key) for key in (numerator, *denominator, *minus)]
    if SUPPRESSED in values:
        return SUPPRESSED
    total = sum(row.get(key) or 0 for key in denominator) - sum(row.get(key) or 0 for key in minus)
    if minus and total and (total < 0 or total < (row.get(numerator) or 0)):
        return SUPPRESSED
    return rate(row.get(numerator), total)


@dataclass(frozen=True)
class Relations:
    """How a figure's count columns add up, so that a suppressed cell cannot be recomputed from the others.

    `totals`: (total column, its part columns) within a row. `stock`: (stock, inflow, outflow) columns where each
    row's stock = the previous row's stock + inflow − outflow (the first row of a group starts from nothing).
    `group`: the column whose value starts a new series of rows (e.g. the country when split by country)."""

    totals: tuple[tuple[str, tuple[str, ...]], ...] = ()
    stock: tuple[str, str, str] | None = None
    group: str = ""

    def constraints(self, rows: list[dict[str, Any]]) -> list[list[tuple[int, str]]]:
        """Every relation as the list of its (row index, column) cells."""
        found = []
        for index, row in enumerate(rows):
            for total, parts in self.totals:
                if total in row:
                    found.append([(index, total), *((index, part) for part in parts if part in row)])
            if self.stock and self.stock[0] in row:
                stock, inflow, outflow = self.stock
                cells = [(index, stock), (index, inflow), (index, outflow)]
                previous = index - 1
                if previous >= 0 and rows[previous].get(self.group) == row.get(self.group):
                    cells.append((previous, stock))
                found.append(cells)
        return found


def suppress_complementary(rows: list[dict[str, Any]], relations: Relations | None) -> list[dict[str, Any]]:
    """Secondary suppression on already protected rows (see the module's notes). Changes and returns `rows`."""
    if relations is None:
        return rows
    constraints = relations.constraints(rows)
    changed = True
    while changed:
        changed = False
        for cells in constraints:
            hidden = [cell for cell in cells if rows[cell[0]].get(cell[1]) == SUPPRESSED]
            if len(hidden) != 1:
                continue
            shown = [cell for cell in cells if isinstance(rows[cell[0]].get(cell[1]), int)
                     and rows[cell[0]][cell[1]] > 0]
            if not shown:
                continue
            index, key = min(shown, key=lambda cell: rows[cell[0]][cell[1]])
            rows[index][key] = SUPPRESSED
            changed = True
    return rows
