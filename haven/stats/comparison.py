"""Published figures side by side: grouping the figures that state the same measure, finding the pairs that
cannot both be true, and putting Haven's own figure beside them. A figure marked retracted or erroneous is shown
with its status and never compared as if it were valid."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from haven.stats.models import PublishedFigure, RateDefinition
from haven.stats.privacy import Relations
from haven.stats.registry import Column, protect_rows
from haven.stats.selectors import outcome_table

APPROX_TOLERANCE = Decimal("0.10")  # "~25" is read as 22.5–27.5


@dataclass(frozen=True)
class Interval:
    low: Decimal | None
    low_open: bool
    high: Decimal | None
    high_open: bool

    def overlaps(self, other: Interval) -> bool:
        return _below(self.low, self.low_open, other.high, other.high_open) and \
            _below(other.low, other.low_open, self.high, self.high_open)


def _below(low, low_open, high, high_open) -> bool:
    if low is None or high is None:
        return True
    return low < high or (low == high and not low_open and not high_open)


def figure_interval(figure) -> Interval | None:
    """The values a published figure allows; None for suppressed or non-numeric figures, and for a figure marked
    retracted or erroneous, which is never compared as if it were valid."""
    q = figure.qualifier
    if figure.suppressed or q in ("text", "suppressed") or not figure.is_valid:
        return None
    if q == "exact":
        return Interval(figure.value, False, figure.value, False)
    if q == "approx":
        delta = abs(figure.value) * APPROX_TOLERANCE
        return Interval(figure.value - delta, False, figure.value + delta, False)
    if q == "more_than":
        return Interval(figure.value_low, True, None, False)
    if q == "less_than":
        return Interval(figure.value_low, False, figure.value_high, True)
    return Interval(figure.value_low, False, figure.value_high, False)


@dataclass
class FigureGroup:
    """Published figures for one country, measure, period and unit, side by side."""

    country: str
    measure: str
    period_key: str
    unit: str
    figures: list = field(default_factory=list)
    conflicts: list[tuple[Any, Any]] = field(default_factory=list)
    haven: Any = None

    @property
    def in_conflict(self) -> bool:
        return bool(self.conflicts)

    @property
    def sources(self) -> int:
        return len({f.source_id for f in self.figures})


def published_groups(figures: QuerySet | None = None) -> list[FigureGroup]:
    """Every published figure grouped with the others stating the same measure for the same period, country
    and unit; `conflicts` lists the pairs from different sources whose values cannot both be true."""
    figures = PublishedFigure.objects.all() if figures is None else figures
    groups: dict[tuple, FigureGroup] = {}
    for figure in figures.select_related("source").order_by("country", "measure", "period_key", "pk"):
        key = (figure.country, figure.measure, figure.period_key, figure.unit.strip().lower())
        groups.setdefault(key, FigureGroup(*key)).figures.append(figure)
    for group in groups.values():
        for i, a in enumerate(group.figures):
            for b in group.figures[i + 1:]:
                if a.source_id == b.source_id:
                    continue
                ia, ib = figure_interval(a), figure_interval(b)
                if ia is not None and ib is not None and not ia.overlaps(ib):
                    group.conflicts.append((a, b))
    return sorted(groups.values(), key=lambda g: (g.country, g.period_key, g.measure))


def published_before_period_end(figure) -> bool:
    """A figure published before its period ended covers only part of it (e.g. a September article on the year)."""
    published = figure.source.published_on
    return bool(published and figure.period_end and published < figure.period_end)


# The three rates are separate measures (PublishedFigure.RateDefinition): a published rate is compared only with
# Haven's rate of the same definition.
HAVEN_MEASURES = ("referred", "accepted", "rejected", "abandoned", "withdrawn_other", "finalized", "pending",
                  *RateDefinition.values)


def attach_haven_figures(groups: list[FigureGroup], claims: QuerySet | None, *, published: bool,
                         columns: tuple[Column, ...], relations: Relations | None = None) -> None:
    """Put Haven's own figure (from its claims, counted by claimant as the IRB counts) beside each comparable
    published group: a measure Haven computes, a whole year or quarter, one country, and at least one figure that
    is not retracted or erroneous. `columns` and `relations`: the outcome table's columns by country and how they
    add up, whose privacy rules apply to a published figure (passed in by haven.stats.figures, which owns them)."""
    if claims is None:
        return
    wanted = [g for g in groups if g.measure in HAVEN_MEASURES and g.country and _haven_period(g.period_key)
              and any(f.is_valid for f in g.figures)]
    if not wanted:
        return
    tables = {}
    for by in {_haven_period(g.period_key) for g in wanted}:
        rows = outcome_table(claims.filter(country_of_persecution__in={g.country for g in wanted}), by=by,
                             by_country=True)
        if published:
            rows = protect_rows(columns, rows, relations)
        for row in rows:
            tables[(row["country"], row["period"])] = row
    for group in wanted:
        row = tables.get((group.country, group.period_key))
        group.haven = row.get(group.measure) if row else 0


def _haven_period(key: str) -> str:
    if len(key) == 4 and key.isdigit():
        return "year"
    if len(key) == 7 and key[4:6] == "-Q":
        return "quarter"
    return ""
