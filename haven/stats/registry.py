"""The report framework: a registry of figures.

A Figure is one table Haven can compute and publish: a key, a title, a
description of its source, its columns, a chart spec and a `compute` function
that returns rows (dicts keyed by column) for a Scope. New figures (sponsorship,
settlement) plug in by calling `register(Figure(...))` in a module imported by
haven.stats.figures; the pages, charts, privacy rules and CSV/XLSX/PDF exports
then work for them unchanged.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from haven.stats.privacy import Relations, protect_count, rate_of, suppress_below, suppress_complementary


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    kind: str = "count"  # text | count | rate | number | days
    # For a rate: numerator / (sum of the denominator columns − sum of the `minus` columns), recomputed from
    # protected values in published output.
    numerator: str = ""
    denominator: str | tuple[str, ...] = ""
    minus: tuple[str, ...] = ()

    def rate_in(self, row: dict[str, Any]):
        denominator = (self.denominator,) if isinstance(self.denominator, str) else self.denominator
        return rate_of(row, self.numerator, denominator, self.minus)

    @property
    def is_count(self) -> bool:
        return self.kind == "count"


@dataclass(frozen=True)
class ChartSpec:
    kind: str  # "bar" (grouped bars) or "line"
    x: str  # the column on the horizontal axis
    series: tuple[str, ...]  # count columns drawn


@dataclass(frozen=True)
class Param:
    name: str
    label: Any
    choices: tuple[tuple[str, Any], ...] = ()
    default: str = ""


@dataclass(frozen=True)
class Scope:
    """What a figure is computed over. `cases` is already limited to what the viewer may count;
    `published` selects the outside-use form (suppressed and rounded)."""

    cases: QuerySet | None  # None: no Haven figures at all (published sources only)
    published: bool
    label: str = ""


@dataclass(frozen=True)
class Figure:
    key: str
    title: Any
    source: Any
    columns: tuple[Column, ...]
    chart: ChartSpec
    compute: Callable[[Scope, dict[str, str]], list[dict[str, Any]]]
    params: tuple[Param, ...] = ()
    group: str = "claims"
    notes: tuple[Any, ...] = ()
    # Columns that depend on the parameters (e.g. a country column when split by country).
    columns_for: Callable[[dict[str, str]], tuple[Column, ...]] | None = None
    # How the count columns add up (haven.stats.privacy.Relations), for secondary suppression.
    relations: Relations | None = None

    def columns_with(self, params: dict[str, str]) -> tuple[Column, ...]:
        return self.columns_for(params) if self.columns_for else self.columns

    def clean_params(self, raw: dict[str, str]) -> dict[str, str]:
        cleaned = {}
        for param in self.params:
            value = (raw.get(param.name) or param.default or "").strip()
            if param.choices and value not in {choice for choice, _ in param.choices}:
                value = param.default
            cleaned[param.name] = value
        return cleaned


@dataclass
class Table:
    figure: Figure
    columns: Sequence[Column]
    rows: list[dict[str, Any]]
    published: bool
    params: dict[str, str] = field(default_factory=dict)
    scope_label: str = ""

    def cells(self) -> list[list[Any]]:
        return [[row.get(column.key) for column in self.columns] for row in self.rows]


REGISTRY: dict[str, Figure] = {}


def register(figure: Figure) -> Figure:
    if figure.key in REGISTRY and REGISTRY[figure.key] is not figure:
        raise ValueError(f"figure {figure.key!r} is already registered")
    REGISTRY[figure.key] = figure
    return figure


def get_figure(key: str) -> Figure:
    return REGISTRY[key]


def protect_rows(columns: Sequence[Column], rows: list[dict[str, Any]],
                 relations: Relations | None = None) -> list[dict[str, Any]]:
    """Apply outside-use disclosure control (haven.stats.privacy) to every count and rate column: small counts
    suppressed and the others rounded, then the cells that would let a reader recompute a suppressed one
    (`relations`), then the rates recomputed from what is left."""
    protected = []
    for row in rows:
        out = dict(row)
        for column in columns:
            if column.is_count:
                out[column.key] = protect_count(row.get(column.key))
        protected.append(out)
    suppress_complementary(protected, relations)
    for row, out in zip(rows, protected, strict=True):
        for column in columns:
            if column.kind == "rate" and column.numerator:
                out[column.key] = column.rate_in(out)
            elif column.kind in ("days", "number") and _small(row, columns):
                out[column.key] = None
    return protected


def _small(row: dict[str, Any], columns: Sequence[Column]) -> bool:
    """Durations are withheld in published output when the count they summarize is suppressed."""
    base = next((c.key for c in columns if c.is_count), None)
    value = row.get(base) if base else None
    return value is not None and 0 < value < suppress_below()


def build_table(figure: Figure, scope: Scope, raw_params: dict[str, str] | None = None,
                rows: list[dict[str, Any]] | None = None) -> Table:
    """Compute (or take already computed `rows`) and, for the published version, protect the figure."""
    params = figure.clean_params(raw_params or {})
    columns = figure.columns_with(params)
    rows = figure.compute(scope, params) if rows is None else rows
    if scope.published:
        rows = protect_rows(columns, rows, figure.relations)
    return Table(figure=figure, columns=columns, rows=rows, published=scope.published, params=params,
                 scope_label=scope.label)
