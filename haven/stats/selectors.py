"""Reads of the statistics app: claim outcome tables computed by the database
(GROUP BY on the period of a date, never a Python loop over claims), the
published-figure comparison with conflict detection, and data-quality checks.
The SQL the ORM does not write (periods, days between dates, percentiles, SQLite's index scan) is in
haven.stats.sql.

How the claim outcome table counts (IRB RPD style, see docs/statistics.md):
- referred: claims by `referred_on`, plus every reopening, reinstatement and
  RAD referral back to the RPD, by its date (the IRB counts claims "sent back
  by the FC or RAD and reopenings" as referrals);
- finalized: claims by `outcome_on` in their current outcome, plus each
  finalization that a later reopening superseded, by the date of the
  decision, abandonment or withdrawal event; a claim whose determination was
  changed by a RAD set-aside, a vacation or a cessation is counted at its last
  RPD decision instead;
- rejected includes no credible basis and manifestly unfounded;
  withdrawn_other is withdrawn + other;
- pending at period end = referred to date − finalized to date;
- counted by claimant, as the IRB counts (each person's claim is a claim, RPD Rules r.55 joins them), or by claim
  file (`unit="claims"`): a joined member who follows the claim's decision counts as the claim does; a member
  with a decision of their own counts as referred with the claim and finalized by their own decision;
- three rates, to 4 decimals (half up), each empty when its denominator is 0 (haven.stats.models.RateDefinition):
  acceptance_rate = accepted / finalized; rate_excluding_abandoned_withdrawn = accepted / (finalized − abandoned −
  withdrawn_other); recognition_rate = accepted / (accepted + rejected).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from haven.cases.models import Case
from haven.claims.models import Claim, ClaimEvent, JoinedClaimant
from haven.people.models import Nationality
from haven.stats.privacy import rate
from haven.stats.sql import DaysBetween, PeriodKey, Percentile, period_label, sqlite_by_date

OUTCOME_COLUMNS = ("period", "referred", "accepted", "rejected", "abandoned", "withdrawn_other", "finalized",
                   "pending", "acceptance_rate", "recognition_rate", "rate_excluding_abandoned_withdrawn")
UNITS = ("claimants", "claims")
OUTCOME_GROUPS = {
    "accepted": "accepted", "rejected": "rejected", "no_credible_basis": "rejected",
    "manifestly_unfounded": "rejected", "abandoned": "abandoned", "withdrawn": "withdrawn_other",
    "other": "withdrawn_other",
}
FINALIZING_EVENTS = {
    "decision_accepted": "accepted", "decision_rejected": "rejected", "decision_ncb": "rejected",
    "decision_mu": "rejected", "abandonment": "abandoned", "withdrawal": "withdrawn_other",
    "other_disposition": "withdrawn_other",
}
REOPENING_EVENTS = ("reopening", "reinstatement", "rad_referred_back")
RAD_MERIT_DECISIONS = ("rad_confirmed", "rad_set_aside")
DETERMINATION_OVERRIDES = ("rad_set_aside", "vacation", "cessation")


def claim_steps() -> QuerySet:
    """The claim files' own steps. A joined member's own later proceedings (a step recorded for one member after
    their own decision) are left out: the figures count a member by their own RPD decision (JoinedClaimant), and
    a member's RAD appeal must not reopen or override the claim file's determination."""
    return ClaimEvent.objects.filter(claimant__isnull=True)


def rereferral() -> Q:
    """Events that put a claim back before the RPD: a reopening, a reinstatement, a RAD referral back, and a
    judicial review allowed against an RPD decision (one not preceded by a RAD decision on the merits; a review
    of a RAD decision goes back to the RAD). Applies to a ClaimEvent queryset."""
    rad_before = claim_steps().filter(claim_id=OuterRef("claim_id"), type__in=RAD_MERIT_DECISIONS,
                                           occurred_on__lte=OuterRef("occurred_on"))
    return Q(type__in=REOPENING_EVENTS) | (Q(type="jr_allowed") & ~Exists(rad_before))
DECISION_OUTCOMES = ("accepted", "rejected", "no_credible_basis", "manifestly_unfounded")
RAD_DECISIONS = {"rad_confirmed": "confirmed", "rad_set_aside": "set_aside", "rad_referred_back": "referred_back"}


def claims_in(cases: QuerySet, country: str = "") -> QuerySet:
    scan = _scan_whole_table(cases)
    outside = _cases_outside(cases) if scan else None
    if scan:
        # `case_id + 0` keeps SQLite from walking the case_id index for a large scope (one random row lookup
        # per claim); a sequential scan checking each row against the scope is many times faster.
        claims = Claim.objects.alias(scope_case=F("case_id") + 0)
        if outside is not None:
            claims = claims.exclude(scope_case__in=outside.values("pk"))
        else:
            claims = claims.filter(scope_case__in=cases.values("pk"))
    else:
        claims = Claim.objects.filter(case__in=cases.values("pk"))
    if country:
        claims = claims.filter(country_of_persecution=country.upper())
    claims._stats_scope = (cases, country.upper(), scan, outside)
    return claims


SQLITE_INDEX_SCOPE_LIMIT = 2000  # cases; above this a scope is read by scanning the claims


def _scan_whole_table(cases: QuerySet | None) -> bool:
    return cases is not None and connection.vendor == "sqlite" and cases.count() > SQLITE_INDEX_SCOPE_LIMIT


def _cases_outside(cases: QuerySet) -> QuerySet | None:
    """The cases outside a large scope, when they are fewer than those inside (typically: an organization
    that holds most of the database). Checking each claim against the small outside set is then cheaper than
    against the large inside one (SQLite probes an in-memory list of case ids for every claim), and gives the
    same claims: every claim has a case, so a claim is in the scope exactly when its case is not outside it."""
    outside = Case.objects.exclude(pk__in=cases.values("pk"))
    return outside if outside.count() < cases.count() else None


def events_of(claims: QuerySet) -> QuerySet:
    """The events of these claims. For a queryset from claims_in() the scope is applied through the event's
    claim and case (a join on primary keys), which is much cheaper than `claim IN (every claim in scope)`
    when few events match."""
    scope = getattr(claims, "_stats_scope", None)
    if scope is None:
        return claim_steps().filter(claim__in=claims.values("pk"))
    cases, country, scan, outside = scope
    if scan:
        events = claim_steps().alias(scope_case=F("claim__case_id") + 0)
        if outside is not None:
            events = events.exclude(scope_case__in=outside.values("pk"))
        else:
            events = events.filter(scope_case__in=cases.values("pk"))
    else:
        events = claim_steps().filter(claim__case__in=cases.values("pk"))
    return events.filter(claim__country_of_persecution=country) if country else events


def period_sort_key(period: str) -> tuple[int, int]:
    year, _, quarter = period.partition("-Q")
    return int(year), int(quarter or 0)


def _all_periods(found: set[str], by: str) -> list[str]:
    """Every period between the first and the last found, so pending carries over empty periods."""
    if not found:
        return []
    keys = sorted(found, key=period_sort_key)
    first, last = period_sort_key(keys[0]), period_sort_key(keys[-1])
    if by == "year":
        return [str(y) for y in range(first[0], last[0] + 1)]
    periods = []
    year, quarter = first
    while (year, quarter) <= last:
        periods.append(f"{year}-Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return periods


def outcome_counts(claims: QuerySet, *, by: str, by_country: bool = False,
                   unit: str = "claimants") -> dict[tuple[str, str], dict[str, int]]:
    """{(country or "", period): {referred, accepted, rejected, abandoned, withdrawn_other}} by aggregation, of
    claimants (every person of a claim file) or of claim files (`unit="claims"`)."""
    if unit not in UNITS:
        raise ValueError(unit)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # These queries are short; PostgreSQL's JIT compilation would cost more than it saves.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                # The database is read from memory: index lookups of the few claims that have re-referral
                # events then beat hashing every claim.
                cursor.execute("SET LOCAL random_page_cost = 1.1")
        counts = _outcome_counts(claims, by=by, by_country=by_country)
        if unit == "claimants" and _members_of(claims).exists():
            _add(counts, _outcome_counts(claims, by=by, by_country=by_country, following_members=True))
            _add(counts, _own_decision_counts(claims, by=by, by_country=by_country))
        return counts


def _members_of(claims: QuerySet) -> QuerySet:
    """The joined members (not the principal claimants) of these claims."""
    return JoinedClaimant.objects.filter(claim__in=claims.values("pk"), is_principal=False)


def _add(counts: dict, more: dict) -> None:
    for key, values in more.items():
        for name, value in values.items():
            counts[key][name] += value


def _own_decision_counts(claims: QuerySet, *, by: str, by_country: bool) -> dict[tuple[str, str], dict[str, int]]:
    """Joined members with a decision of their own: referred with their claim, finalized by their own decision."""
    dims = ["country"] if by_country else []
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    members = _members_of(claims).filter(own_decision=True).annotate(country=F("claim__country_of_persecution"))
    referred = (members.filter(claim__referred_on__isnull=False).annotate(p=PeriodKey("claim__referred_on", by))
                .values(*dims, "p").annotate(n=Count("pk")).order_by())
    finalized = (members.exclude(outcome="").filter(outcome_on__isnull=False).annotate(p=PeriodKey("outcome_on", by))
                 .values(*dims, "p", "outcome").annotate(n=Count("pk")).order_by())
    for row in referred:
        counts[(row["country"] if by_country else "", period_label(row["p"], by))]["referred"] += row["n"]
    for row in finalized:
        key = (row["country"] if by_country else "", period_label(row["p"], by))
        counts[key][OUTCOME_GROUPS[row["outcome"]]] += row["n"]
    return counts


def _sqlite_scan(claims: QuerySet) -> bool:
    scope = getattr(claims, "_stats_scope", None)
    return bool(scope and scope[2])


# A joined member who follows the claim's decision (haven.claims.models.JoinedClaimant).
FOLLOWING = {"claimants__is_principal": False, "claimants__own_decision": False}


def _outcome_counts(claims: QuerySet, *, by: str, by_country: bool,
                    following_members: bool = False) -> dict[tuple[str, str], dict[str, int]]:
    """The claims' counts; with `following_members`, each claim counted once for every joined member who follows
    its decision (the join to those members repeats each claim's rows, and COUNT counts the repeats)."""
    dims = ["country"] if by_country else []
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def key(row) -> tuple[str, str]:
        return (row["country"] if by_country else "", period_label(row["p"], by))

    if following_members:
        claims = claims.filter(**FOLLOWING)
    referring = claims.filter(referred_on__isnull=False)
    finalizing = claims.exclude(outcome="").filter(outcome_on__isnull=False)
    if _sqlite_scan(claims) and not following_members:
        referred = sqlite_by_date(referring, "referred_on", (), "claim_country_referred_case", by=by)
        finalized = sqlite_by_date(finalizing, "outcome_on", ("outcome",), "claim_country_outcome_case", by=by)
    else:
        # Two scans of the claims (PostgreSQL runs each in parallel; GROUPING SETS would be one scan but is
        # neither parallel nor hashed here, and measured slower).
        referred = (referring.annotate(p=PeriodKey("referred_on", by), country=F("country_of_persecution"))
                    .values(*dims, "p").annotate(n=Count("pk")).order_by())
        finalized = (finalizing.annotate(p=PeriodKey("outcome_on", by), country=F("country_of_persecution"))
                     .values(*dims, "p", "outcome").annotate(n=Count("pk")).order_by())
    for row in referred:
        counts[key(row)]["referred"] += row["n"]
    for row in finalized:
        counts[key(row)][OUTCOME_GROUPS[row["outcome"]]] += row["n"]
    # Re-referrals, and the finalizations they superseded, in one pass over the events.
    events = events_of(claims)
    if following_members:
        events = events.filter(**{f"claim__{name}": value for name, value in FOLLOWING.items()})
    per_claim = "claim__claimants" if following_members else "claim_id"
    later_reopening = claim_steps().filter(claim_id=OuterRef("claim_id"),
                                                occurred_on__gte=OuterRef("occurred_on")).filter(rereferral())
    superseded = Q(type__in=FINALIZING_EVENTS) & Exists(later_reopening)
    for row in (events.filter(rereferral() | superseded)
                .annotate(p=PeriodKey("occurred_on", by), country=F("claim__country_of_persecution"))
                .values(*dims, "p", "type").annotate(n=Count("pk")).order_by()):
        counts[key(row)][FINALIZING_EVENTS.get(row["type"], "referred")] += row["n"]
    # A RAD set-aside, a vacation or a cessation changes the claim's determination, but the RPD finalized the
    # claim when it decided: count the claim at its last RPD decision instead (the IRB's RPD tables exclude
    # vacation and cessation and count RAD decisions separately).
    last_rpd = (claim_steps().filter(claim_id=OuterRef("claim_id"), type__in=FINALIZING_EVENTS,
                                          occurred_on__lte=OuterRef("occurred_on"))
                .order_by("-occurred_on", "-pk"))
    overrides = (events.filter(type__in=DETERMINATION_OVERRIDES, occurred_on=F("claim__outcome_on"))
                 .exclude(claim__outcome="")
                 .annotate(rpd_on=Subquery(last_rpd.values("occurred_on")[:1]),
                           rpd_type=Subquery(last_rpd.values("type")[:1]),
                           country=F("claim__country_of_persecution"))
                 .filter(rpd_on__isnull=False))
    for row in (overrides.annotate(p=PeriodKey("claim__outcome_on", by)).values(*dims, "p", "claim__outcome")
                .annotate(n=Count(per_claim, distinct=True)).order_by()):
        counts[key(row)][OUTCOME_GROUPS[row["claim__outcome"]]] -= row["n"]
    for row in (overrides.annotate(p=PeriodKey("rpd_on", by)).values(*dims, "p", "rpd_type")
                .annotate(n=Count(per_claim, distinct=True)).order_by()):
        counts[key(row)][FINALIZING_EVENTS[row["rpd_type"]]] += row["n"]
    return counts


def outcome_rates(row: dict[str, Any]) -> dict[str, Any]:
    """The three rates of a row of counts (see the module's notes): never one for another."""
    accepted, finalized = row["accepted"], row["finalized"]
    return {"acceptance_rate": rate(accepted, finalized),
            "recognition_rate": rate(accepted, accepted + row["rejected"]),
            "rate_excluding_abandoned_withdrawn": rate(accepted, finalized - row["abandoned"] - row["withdrawn_other"])}


def outcome_table(claims: QuerySet, *, by: str = "year", by_country: bool = False,
                  unit: str = "claimants") -> list[dict[str, Any]]:
    """Rows with OUTCOME_COLUMNS (plus "country" when by_country), every period from the first to the last; of
    claimants (the IRB's unit) or of claim files (`unit="claims"`)."""
    counts = outcome_counts(claims, by=by, by_country=by_country, unit=unit)
    countries = sorted({country for country, _ in counts})
    periods = _all_periods({period for _, period in counts}, by)
    rows = []
    for country in countries:
        # A country's rows run from its first period to the last period of the table.
        first = min((period_sort_key(p) for c, p in counts if c == country))
        referred_to_date = finalized_to_date = 0
        for period in periods:
            if period_sort_key(period) < first:
                continue
            c = counts.get((country, period), {})
            finalized = sum(c.get(k, 0) for k in ("accepted", "rejected", "abandoned", "withdrawn_other"))
            referred_to_date += c.get("referred", 0)
            finalized_to_date += finalized
            row = {"period": period, "referred": c.get("referred", 0), "accepted": c.get("accepted", 0),
                   "rejected": c.get("rejected", 0), "abandoned": c.get("abandoned", 0),
                   "withdrawn_other": c.get("withdrawn_other", 0), "finalized": finalized,
                   "pending": referred_to_date - finalized_to_date}
            row.update(outcome_rates(row))
            if by_country:
                row = {"country": country, **row}
            rows.append(row)
    return rows


def rad_table(claims: QuerySet, *, by: str = "year") -> list[dict[str, Any]]:
    """RAD appeals: filed (by claimant or Minister), decided (confirmed, set aside, referred back), pending."""

    events = events_of(claims)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (events.filter(type="rad_appeal_filed").annotate(p=PeriodKey("occurred_on", by))
                .values("p", "appellant").annotate(n=Count("pk")).order_by()):
        period = period_label(row["p"], by)
        counts[period]["filed"] += row["n"]
        counts[period]["filed_by_minister" if row["appellant"] == "minister" else "filed_by_claimant"] += row["n"]
    for row in (events.filter(type__in=RAD_DECISIONS).annotate(p=PeriodKey("occurred_on", by))
                .values("p", "type").annotate(n=Count("pk")).order_by()):
        counts[period_label(row["p"], by)][RAD_DECISIONS[row["type"]]] += row["n"]
    rows, filed_to_date, decided_to_date = [], 0, 0
    for period in _all_periods(set(counts), by):
        c = counts.get(period, {})
        decided = sum(c.get(k, 0) for k in RAD_DECISIONS.values())
        filed_to_date += c.get("filed", 0)
        decided_to_date += decided
        rows.append({"period": period, "filed": c.get("filed", 0), "filed_by_claimant": c.get("filed_by_claimant", 0),
                     "filed_by_minister": c.get("filed_by_minister", 0), "confirmed": c.get("confirmed", 0),
                     "set_aside": c.get("set_aside", 0), "referred_back": c.get("referred_back", 0),
                     "finalized": decided, "pending": max(filed_to_date - decided_to_date, 0)})
    return rows


def decision_time_table(claims: QuerySet, *, by: str = "year") -> list[dict[str, Any]]:
    """Days from referral to the RPD decision (accepted or rejected, incl. NCB/MU), by period of decision:
    count, median and 90th percentile (linear interpolation, as PostgreSQL's percentile_cont)."""
    decided = (claims.filter(outcome__in=DECISION_OUTCOMES, referred_on__isnull=False, outcome_on__isnull=False)
               .annotate(p=PeriodKey("outcome_on", by), days=DaysBetween("referred_on", "outcome_on")))
    if connection.vendor == "postgresql":
        rows = (decided.values("p").annotate(n=Count("pk"), median=Percentile("days", 0.5),
                                             p90=Percentile("days", 0.9)).order_by())
        stats = {period_label(r["p"], by): (r["n"], _days(r["median"]), _days(r["p90"])) for r in rows}
    else:
        stats = {period_label(p, by): value for p, value in _percentiles_from_histogram(decided).items()}
    return [{"period": p, "decided": stats[p][0], "median_days": stats[p][1], "p90_days": stats[p][2]}
            for p in sorted(stats, key=period_sort_key)]


def _days(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


def _percentiles_from_histogram(decided: QuerySet) -> dict[int, tuple[int, Decimal | None, Decimal | None]]:
    """SQLite has no percentile aggregate: count the claims per (period, days) in the database, a histogram of a
    few thousand rows however many claims there are, and read the values around each percentile position from
    its running totals. (Ranking every row with window functions took 2.4 times as long on 1,000,000 claims;
    the results are identical.)"""
    histogram: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for period, days, count in (decided.values("p", "days").annotate(n=Count("pk")).order_by("p", "days")
                                .values_list("p", "days", "n")):
        histogram[period].append((days, count))
    result = {}
    for period, bins in histogram.items():
        n = sum(count for _, count in bins)
        wanted = sorted({position for fraction in (Decimal("0.5"), Decimal("0.9"))
                         for position in (int(fraction * (n - 1)), int(fraction * (n - 1)) + 1) if position < n})
        positions: dict[int, int] = {}
        seen = 0
        for days, count in bins:  # the claims at sorted positions seen … seen + count − 1 took this many days
            while wanted and wanted[0] < seen + count:
                positions[wanted.pop(0)] = days
            seen += count
        result[period] = (n, _interpolate(positions, n, 0.5), _interpolate(positions, n, 0.9))
    return result


def _interpolate(positions: dict[int, int], n: int, fraction: float) -> Decimal:
    exact = Decimal(str(fraction)) * (n - 1)
    low = int(exact)
    low_value = Decimal(positions[low])
    high_value = Decimal(positions.get(low + 1, positions[low]))
    return (low_value + (high_value - low_value) * (exact - low)).quantize(Decimal("0.1"))


# ---------------------------------------------------------------- data quality


@dataclass
class QualityCheck:
    key: str
    label: Any
    rule: Any
    case_ids: list[int] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0


def data_quality(claims: QuerySet, *, today: dt.date | None = None, limit: int = 200,
                 with_items: bool = True) -> list[QualityCheck]:
    """Records that break a rule, one query per check. Items carry the claim reference and case id only;
    without items, only the count of each check is computed."""
    today = today or dt.date.today()
    checks = [*_date_and_step_checks(claims, today), *_record_checks(claims)]
    results = []
    for key, label, rule, queryset, order in checks:
        check = QualityCheck(key=key, label=label, rule=rule)
        if with_items:
            rows = list(queryset.order_by(order, "pk").values("pk", "reference", "case_id", "referred_on",
                                                             "outcome", "outcome_on")[:limit])
            check.items = rows
            check.case_ids = [row["case_id"] for row in rows]
            check.total = len(rows) if len(rows) < limit else queryset.count()
        else:
            check.total = queryset.count()
        results.append(check)
    return results


def _date_and_step_checks(claims: QuerySet, today: dt.date) -> list[tuple[str, Any, Any, QuerySet, str]]:
    """(key, label, rule, claims breaking it, order) for the dates and the recorded steps of the claims."""
    year_ago = today - dt.timedelta(days=365)
    any_event = claim_steps().filter(claim_id=OuterRef("pk"))
    first_decision = (any_event.filter(type__in=[*FINALIZING_EVENTS, *RAD_DECISIONS]).order_by("occurred_on")
                      .values("occurred_on")[:1])
    rpd_decision = any_event.filter(type__in=["decision_accepted", "decision_rejected", "decision_ncb",
                                              "decision_mu"])
    checks: list[tuple[str, Any, Any, QuerySet, str]] = [
        ("decision_before_referral", _("Decision dated before its referral"),
         _("outcome date earlier than the referral date"),
         claims.filter(outcome_on__lt=F("referred_on")), "outcome_on"),
        ("outcome_without_referral", _("Outcome without a referral date"),
         _("an outcome is recorded but the claim has no referral date"),
         claims.exclude(outcome="").filter(referred_on__isnull=True), "outcome_on"),
        ("missing_outcome_after_year", _("No outcome more than a year after referral"),
         _("referred more than 365 days ago and still without an outcome"),
         claims.filter(outcome="", referred_on__lt=year_ago), "referred_on"),
        ("outcome_in_future", _("Outcome or referral dated in the future"),
         _("a referral or outcome date after today"),
         claims.filter(Q(outcome_on__gt=today) | Q(referred_on__gt=today)), "referred_on"),
        ("hearing_after_decision", _("Hearing after the decision"),
         _("a hearing held after the claim's RPD decision"),
         claims.filter(outcome__in=DECISION_OUTCOMES).filter(Exists(any_event.filter(
             type="hearing_held", occurred_on__gt=OuterRef("outcome_on")))), "outcome_on"),
        ("event_before_referral", _("Decision event before the referral"),
         _("a decision, abandonment or withdrawal event dated before the referral"),
         claims.filter(referred_on__gt=first_decision), "referred_on"),
        ("rad_after_ncb", _("RAD appeal after a no-credible-basis or manifestly-unfounded decision"),
         _("no appeal lies to the RAD from NCB or MU decisions (IRPR 159.91; brief §1)"),
         claims.filter(outcome__in=["no_credible_basis", "manifestly_unfounded"]).filter(
             Exists(any_event.filter(type="rad_appeal_filed"))), "outcome_on"),
        ("outcome_without_event", _("Decision without a recorded decision event"),
         _("an accepted or rejected outcome with no RPD decision or RAD event on file"),
         claims.filter(outcome__in=DECISION_OUTCOMES).exclude(Exists(rpd_decision)).exclude(
             Exists(any_event.filter(type__in=list(RAD_DECISIONS)))), "outcome_on"),
    ]
    return checks


def _record_checks(claims: QuerySet) -> list[tuple[str, Any, Any, QuerySet, str]]:
    """(key, label, rule, claims breaking it, order) for removal destinations and claim references."""
    events = events_of(claims)
    checks = []
    # A removal destination matching none of the claimant's nationalities (one agency reported removals to
    # North Korea that were a data-entry error), unless the destination was explicitly confirmed.
    nationality = Nationality.objects.filter(person_id=OuterRef("claim__claimant_id"),
                                             country=OuterRef("destination_country"))
    removal_claims = events.filter(type__in=["removal", "removal_order"]).exclude(destination_country="").filter(
        destination_confirmed=False).exclude(Exists(nationality)).values("claim_id")
    checks.append(("removal_destination_no_nationality", _("Removal destination matching no nationality"),
                   _("an unconfirmed removal destination that is none of the claimant's nationalities"),
                   claims.filter(pk__in=removal_claims), "referred_on"))
    normalized = Upper(Func(F("reference"), function="TRIM"))
    dupes = (claims.annotate(norm=normalized).values("norm").annotate(n=Count("pk")).filter(n__gt=1).values("norm"))
    checks.append(("duplicate_reference", _("Duplicate claim references"),
                   _("two claims whose references differ only in case or surrounding spaces"),
                   claims.annotate(norm=normalized).filter(norm__in=dupes), "reference"))
    return checks
