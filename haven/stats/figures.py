"""The figures Haven publishes today. Sponsorship and settlement figures plug in
the same way: build a Figure and call register()."""
from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from haven.stats import comparison, selectors
from haven.stats.models import RateDefinition
from haven.stats.privacy import Relations
from haven.stats.registry import ChartSpec, Column, Figure, Param, Scope, register

BY = Param("by", _("Period"), (("year", _("Year")), ("quarter", _("Quarter"))), "year")
COUNTRY = Param("country", _("Country of alleged persecution"), default="")

OUTCOME_COLUMNS = (
    Column("period", _("Period"), "text"),
    Column("referred", _("Referred")),
    Column("accepted", _("Accepted")),
    Column("rejected", _("Rejected (incl. NCB and MU)")),
    Column("abandoned", _("Abandoned")),
    Column("withdrawn_other", _("Withdrawn and other")),
    Column("finalized", _("Finalized")),
    Column("pending", _("Pending at period end")),
    # The three rates, never one for another (RateDefinition; docs/statistics.md).
    Column("acceptance_rate", _("Acceptance rate"), "rate", numerator="accepted", denominator="finalized"),
    Column("recognition_rate", _("Recognition rate"), "rate", numerator="accepted",
           denominator=("accepted", "rejected")),
    Column("rate_excluding_abandoned_withdrawn", _("Acceptance rate leaving out abandoned and withdrawn"), "rate",
           numerator="accepted", denominator="finalized", minus=("abandoned", "withdrawn_other")),
)
COUNTRY_COLUMN = Column("country", _("Country"), "text")
# Finalized is the sum of four columns, and pending runs on from the previous period: a suppressed cell of
# either relation is not left alone in it (haven.stats.privacy.suppress_complementary).
OUTCOME_RELATIONS = Relations(totals=(("finalized", ("accepted", "rejected", "abandoned", "withdrawn_other")),),
                              stock=("pending", "referred", "finalized"), group="country")
RATE_NOTE = _("Acceptance rate = accepted / finalized. Recognition rate = accepted / (accepted + rejected). "
              "Acceptance rate leaving out abandoned and withdrawn = accepted / (finalized − abandoned − withdrawn "
              "and other). Each is empty when its denominator is 0.")


def outcome_columns(params: dict[str, str]) -> tuple[Column, ...]:
    return (COUNTRY_COLUMN, *OUTCOME_COLUMNS) if params.get("country") == "each" else OUTCOME_COLUMNS


def _country(params: dict[str, str]) -> str:
    value = (params.get("country") or "").upper()
    return value if len(value) == 2 and value.isalpha() else ""


def compute_outcomes(scope: Scope, params: dict[str, str], unit: str = "claimants"):
    claims = selectors.claims_in(scope.cases, _country(params))
    return selectors.outcome_table(claims, by=params.get("by") or "year", by_country=params.get("country") == "each",
                                   unit=unit)


def compute_claim_files(scope: Scope, params: dict[str, str]):
    return compute_outcomes(scope, params, unit="claims")


OUTCOME_CHART = ChartSpec("bar", "period", ("referred", "accepted", "rejected", "abandoned", "withdrawn_other",
                                            "pending"))
COUNTING_NOTE = _("Rejected includes no credible basis and manifestly unfounded decisions. Pending = referred to "
                  "date minus finalized to date. A reopened or reinstated claim, or one referred back by the RAD, "
                  "counts again as referred, and its earlier finalization stays counted, as in the IRB's tables.")

CLAIM_OUTCOMES = register(Figure(
    key="claim_outcomes",
    title=_("Refugee protection claimants: referred, finalized and pending (IRB RPD style)"),
    source=_("Haven's claims, one per person as the IRB counts them: each joined family member counts with their "
             "own outcome (RPD Rules r.55). Referral and outcome dates, reopenings and reinstatements from claim "
             "events."),
    columns=OUTCOME_COLUMNS,
    columns_for=outcome_columns,
    chart=OUTCOME_CHART,
    compute=compute_outcomes,
    params=(BY, COUNTRY),
    notes=(COUNTING_NOTE, RATE_NOTE),
    relations=OUTCOME_RELATIONS,
))

CLAIM_FILE_OUTCOMES = register(Figure(
    key="claim_file_outcomes",
    title=_("Claim files: referred, finalized and pending (a family's joined claims counted once)"),
    source=_("Haven's claim files, each counted once with its principal claimant's outcome."),
    columns=OUTCOME_COLUMNS,
    columns_for=outcome_columns,
    chart=OUTCOME_CHART,
    compute=compute_claim_files,
    params=(BY, COUNTRY),
    notes=(COUNTING_NOTE, RATE_NOTE),
    relations=OUTCOME_RELATIONS,
))


def compute_rad(scope: Scope, params: dict[str, str]):
    return selectors.rad_table(selectors.claims_in(scope.cases, _country(params)), by=params.get("by") or "year")


RAD_OUTCOMES = register(Figure(
    key="rad_outcomes",
    title=_("Refugee Appeal Division: appeals filed and decided"),
    source=_("Haven's claim events: RAD notices of appeal and RAD decisions."),
    columns=(
        Column("period", _("Period"), "text"),
        Column("filed", _("Filed")),
        Column("filed_by_claimant", _("Filed by the claimant")),
        Column("filed_by_minister", _("Filed by the Minister")),
        Column("confirmed", _("RPD decision confirmed")),
        Column("set_aside", _("Set aside and substituted")),
        Column("referred_back", _("Referred back to the RPD")),
        Column("finalized", _("Finalized")),
        Column("pending", _("Pending at period end")),
    ),
    chart=ChartSpec("bar", "period", ("filed", "confirmed", "set_aside", "referred_back")),
    compute=compute_rad,
    params=(BY, COUNTRY),
    relations=Relations(totals=(("filed", ("filed_by_claimant", "filed_by_minister")),
                                ("finalized", ("confirmed", "set_aside", "referred_back"))),
                        stock=("pending", "filed", "finalized")),
))


def compute_times(scope: Scope, params: dict[str, str]):
    claims = selectors.claims_in(scope.cases, _country(params))
    return selectors.decision_time_table(claims, by=params.get("by") or "year")


DECISION_TIMES = register(Figure(
    key="decision_times",
    title=_("Days from referral to RPD decision"),
    source=_("Haven's claims decided on the merits (accepted, rejected, NCB, MU), by period of decision."),
    columns=(
        Column("period", _("Period"), "text"),
        Column("decided", _("Decisions")),
        Column("median_days", _("Median days"), "days"),
        Column("p90_days", _("90th percentile, days"), "days"),
    ),
    chart=ChartSpec("line", "period", ("median_days", "p90_days")),
    compute=compute_times,
    params=(BY, COUNTRY),
    notes=(_("Percentiles are interpolated linearly (PostgreSQL percentile_cont)."),),
))


def _numeric(figure) -> Decimal | None:
    if figure.value is not None:
        return figure.value
    if figure.value_low is not None and figure.value_high is not None:
        return (figure.value_low + figure.value_high) / 2
    return figure.value_low if figure.value_low is not None else figure.value_high


def _status(figure) -> str:
    """A retracted or erroneous figure says so, with who said it and where."""
    if figure.is_valid:
        return ""
    return _("%(status)s: %(source)s") % {"status": figure.get_reliability_display(),
                                          "source": figure.reliability_source}


def compute_comparison(scope: Scope, params: dict[str, str]):
    groups = comparison.published_groups()
    country = _country(params)
    if country:
        groups = [g for g in groups if g.country == country]
    claims = selectors.claims_in(scope.cases) if scope.cases is not None else None
    comparison.attach_haven_figures(groups, claims, published=scope.published,
                                    columns=outcome_columns({"country": "each"}), relations=OUTCOME_RELATIONS)
    rows = []
    for group in groups:
        conflicting = {f.pk for pair in group.conflicts for f in pair}
        for figure in group.figures:
            valid = figure.is_valid
            rows.append({
                "period": figure.period_text, "country": group.country, "measure": group.measure,
                "rate": RateDefinition(figure.rate_definition).label if figure.rate_definition else "",
                "publisher": figure.source.publisher, "published": figure.source.published_text,
                "value": figure.display_value, "unit": figure.unit,
                # Never drawn or set beside Haven's figure as if it were valid.
                "chart_value": _numeric(figure) if valid else None, "haven": group.haven if valid else None,
                "status": _status(figure), "conflict": _("conflict") if figure.pk in conflicting else "",
                "partial": _("published before the period ended")
                if comparison.published_before_period_end(figure) else "",
                "statement": figure.statement,
            })
    return rows


PUBLISHED_COMPARISON = register(Figure(
    key="published_comparison",
    title=_("Published figures side by side, with Haven's own"),
    source=_("Imported IRB and IRCC tables and curated article figures, each with its source and wording."),
    columns=(
        Column("period", _("Period"), "text"),
        Column("country", _("Country"), "text"),
        Column("measure", _("Measure"), "text"),
        Column("rate", _("Which rate"), "text"),
        Column("publisher", _("Source"), "text"),
        Column("published", _("Published"), "text"),
        Column("value", _("Value as published"), "text"),
        Column("unit", _("Unit"), "text"),
        Column("chart_value", _("Value (midpoint)"), "number"),
        Column("haven", _("Haven"), "number"),
        Column("status", _("Retracted or erroneous"), "text"),
        Column("conflict", _("Conflict"), "text"),
        Column("partial", _("Coverage"), "text"),
        Column("statement", _("Statement"), "text"),
    ),
    chart=ChartSpec("bar", "period", ("chart_value", "haven")),
    compute=compute_comparison,
    params=(COUNTRY,),
    group="published",
    notes=(_("Two figures conflict when they come from different sources, state the same measure for the same "
             "period, country and unit, and no single number satisfies both (an “about” figure allows ±10%)."),
           _("A rate is compared only with a rate of the same definition. A figure marked retracted or erroneous "
             "is shown with its source and never compared, charted or set beside Haven's figure."),),
))


def quality_rows(checks) -> list[dict]:
    return [{"check": str(c.label), "rule": str(c.rule), "records": c.total} for c in checks]


def compute_quality(scope: Scope, params: dict[str, str]):
    return quality_rows(selectors.data_quality(selectors.claims_in(scope.cases), with_items=False))


DATA_QUALITY = register(Figure(
    key="data_quality",
    title=_("Data quality: records that break a rule"),
    source=_("Haven's claims and claim events."),
    columns=(
        Column("check", _("Check"), "text"),
        Column("rule", _("Rule"), "text"),
        Column("records", _("Records")),
    ),
    chart=ChartSpec("bar", "check", ("records",)),
    compute=compute_quality,
    group="quality",
))
