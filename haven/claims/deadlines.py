"""The deadline engine: rules are data (DeadlineRule rows), this module only counts days.

Counting follows the Interpretation Act (R.S.C. 1985, c. I-21):
- s.27(2): a period of days after an event excludes the day of the event and
  includes the last day, so "15 days after 1 March" is 16 March;
- s.28: months are counted to the day with the same number, or the last day of
  a shorter month (29 February + 12 months = 28 February);
- s.26: a period that ends on a holiday ends on the next day that is not one.
  Rules that count *before* an event (10 days before a hearing) roll backward
  instead by default, so that the computed day is never later than the law's.

A holiday is a Saturday, a Sunday, a holiday on the Interpretation Act s.35(1)
federal list, or a non-juridical day of the province of the claim under its own
law (haven.claims.holiday_law, which cites each). The days federal offices close
beyond s.35(1) (Boxing Day, the Monday after a Sunday New Year's Day or
Remembrance Day) are counted only where that gives the earlier date, or everywhere
with settings.HAVEN_DEADLINE_FEDERAL_OFFICE_CLOSURES. Periods the Federal Courts
Rules set (rules that skip the r.6(3) recess) also skip the r.2 "holiday" days.
See docs/deadline-rules.md for every choice made.

Rules may be limited to one intake route (IRPR s.159.8: the Basis of Claim
deadline runs from the referral only for claims made at a port of entry).
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import holidays
from django.conf import settings

from haven.claims.events import TRIGGERS
from haven.claims.holiday_law import MONDAY, SUNDAY, nth_weekday, provincial_non_juridical_days
from haven.claims.models import DeadlineRule, IntakeRoute

ONE_DAY = dt.timedelta(days=1)
PROVINCES = frozenset(holidays.Canada.subdivisions)
# The Federal Court's Christmas recess, not counted when a rule says so (Federal Courts Rules r.6(3)).
RECESS_START = (12, 21)
RECESS_END = (1, 7)


class UnknownProvince(ValueError):
    """The province is not a Canadian province or territory code."""


class UnknownRoute(ValueError):
    """The intake route is neither port-of-entry nor inland."""


class UnknownTrigger(ValueError):
    """No deadline rule starts from this event."""


def easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's name for it
    m = (a + 11 * h + 19 * l) // 433
    month = (h + l - 7 * m + 90) // 25
    return dt.date(year, month, (h + l - 7 * m + 33 * month + 19) % 32)


def office_closures_counted() -> bool:
    """settings.HAVEN_DEADLINE_FEDERAL_OFFICE_CLOSURES: count OFFICE_CLOSURES everywhere (default: only where that
    gives the earlier date, see compute_due)."""
    return bool(getattr(settings, "HAVEN_DEADLINE_FEDERAL_OFFICE_CLOSURES", False))


def federal_holidays(year: int, *, office_closures: bool | None = None) -> Mapping[dt.date, str]:
    """The federal holidays of a year (weekends aside): Interpretation Act s.35(1) with Holidays Act s.2(2), and,
    when `office_closures` (default: the setting), the days federal offices close beyond them."""
    return _federal_holidays(year, office_closures_counted() if office_closures is None else office_closures)


@lru_cache(maxsize=512)
def _federal_holidays(year: int, office_closures: bool) -> Mapping[dt.date, str]:
    days = dict(section_35_days(year))
    if office_closures:
        for day, name in office_closure_days(year).items():
            days.setdefault(day, name)
    return days


@lru_cache(maxsize=256)
def section_35_days(year: int) -> Mapping[dt.date, str]:
    """Interpretation Act s.35(1) "holiday" (read in Justice Canada's XML, current to 2025-07-24), named days only.

    The Sovereign's birthday is celebrated on Victoria Day ("the first Monday immediately preceding May 25",
    Holidays Act s.4). Thanksgiving is a day "appointed by proclamation" of thanksgiving: the second Monday of
    October (the proclamation was not read). Holidays Act s.2(2): "When July 1 is a Sunday, July 2 is a legal
    holiday" named Canada Day. No such rule for New Year's Day or Remembrance Day (s.3), and no Boxing Day.
    """
    sunday = easter(year)
    may_24 = dt.date(year, 5, 24)
    days = {
        dt.date(year, 1, 1): "New Year's Day",
        sunday - 2 * ONE_DAY: "Good Friday",
        sunday + ONE_DAY: "Easter Monday",
        may_24 - dt.timedelta(days=may_24.weekday()): "Victoria Day",
        dt.date(year, 7, 1): "Canada Day",
        nth_weekday(year, 9, MONDAY, 1): "Labour Day",
        nth_weekday(year, 10, MONDAY, 2): "Thanksgiving Day",
        dt.date(year, 11, 11): "Remembrance Day",
        dt.date(year, 12, 25): "Christmas Day",
    }
    if year >= 2021:  # added to s.35(1) by S.C. 2021, c. 11
        days[dt.date(year, 9, 30)] = "National Day for Truth and Reconciliation"
    if dt.date(year, 7, 1).weekday() == SUNDAY:
        days[dt.date(year, 7, 2)] = "Canada Day (2 July, Holidays Act s.2(2))"
    return days


# The days federal offices, the Board's included, close that s.35(1) does not make holidays. Keys name them for
# the claim page (haven.claims.labels.OFFICE_CLOSURE_LABELS).
OFFICE_CLOSURES = {
    "boxing_day": "Boxing Day",
    "new_year_monday": "Monday after New Year's Day (a Sunday)",
    "remembrance_monday": "Monday after Remembrance Day (a Sunday)",
}


@lru_cache(maxsize=256)
def office_closure_keys(year: int) -> Mapping[dt.date, str]:
    """{day: OFFICE_CLOSURES key} of a year."""
    days = {dt.date(year, 12, 26): "boxing_day"}
    if dt.date(year, 1, 1).weekday() == SUNDAY:
        days[dt.date(year, 1, 2)] = "new_year_monday"
    if dt.date(year, 11, 11).weekday() == SUNDAY:
        days[dt.date(year, 11, 12)] = "remembrance_monday"
    return days


def office_closure_days(year: int) -> dict[dt.date, str]:
    return {day: OFFICE_CLOSURES[key] for day, key in office_closure_keys(year).items()}


@lru_cache(maxsize=256)
def fc_rules_days(year: int) -> frozenset[dt.date]:
    """Federal Courts Rules r.2 "holiday" beyond Saturdays and s.35(1): "(c) if New Year's Day, Canada Day or
    Remembrance Day falls on a Saturday or Sunday, the following Monday; (d) if Christmas Day falls on a Saturday or
    Sunday, the following Monday and Tuesday; and (e) if Christmas Day falls on a Friday, the following Monday"."""
    days = set()
    for month, day in ((1, 1), (7, 1), (11, 11)):
        anchor = dt.date(year, month, day)
        if anchor.weekday() >= 5:
            days.add(anchor + dt.timedelta(days=7 - anchor.weekday()))
    christmas = dt.date(year, 12, 25)
    monday = christmas + dt.timedelta(days=7 - christmas.weekday())
    if christmas.weekday() >= 5:
        days |= {monday, monday + ONE_DAY}
    elif christmas.weekday() == 4:
        days.add(monday)
    return frozenset(days)


def _unverified_counted() -> bool:
    return bool(getattr(settings, "HAVEN_DEADLINE_UNVERIFIED_PROVINCIAL_HOLIDAYS", False))


def provincial_holidays(province: str, year: int, *, office_closures: bool | None = None) -> Mapping[dt.date, str]:
    """The province's non-juridical days of a year beyond the federal list (haven.claims.holiday_law)."""
    closures = office_closures_counted() if office_closures is None else office_closures
    return _provincial_holidays(province, year, _unverified_counted(), closures)


@lru_cache(maxsize=2048)
def _provincial_holidays(province: str, year: int, include_unverified: bool,
                         office_closures: bool) -> Mapping[dt.date, str]:
    return provincial_non_juridical_days(province, year, set(_federal_holidays(year, office_closures)),
                                         include_unverified=include_unverified)


def holiday_dates(province: str | None, year: int, *, office_closures: bool | None = None,
                  unverified: bool | None = None) -> frozenset[dt.date]:
    """`unverified`: also the provincial days whose law was not read (None: as the setting says)."""
    closures = office_closures_counted() if office_closures is None else office_closures
    return _holiday_dates(province, year, _unverified_counted() if unverified is None else unverified, closures)


@lru_cache(maxsize=2048)
def _holiday_dates(province: str | None, year: int, include_unverified: bool,
                   office_closures: bool) -> frozenset[dt.date]:
    days = set(_federal_holidays(year, office_closures))
    if province:
        days |= set(_provincial_holidays(province, year, include_unverified, office_closures))
    return frozenset(days)


def check_province(province: str | None) -> str | None:
    if province in (None, ""):
        return None
    code = province.strip().upper()
    if code not in PROVINCES:
        raise UnknownProvince(f"unknown province or territory {province!r}; use one of {', '.join(sorted(PROVINCES))}")
    return code


def check_route(route: str | None) -> str:
    """The intake route, port-of-entry when not given (as every claim was before routes were recorded)."""
    if route in (None, ""):
        return IntakeRoute.PORT_OF_ENTRY
    code = route.strip().lower().replace("-", "_")
    if code not in IntakeRoute.values:
        raise UnknownRoute(f"unknown intake route {route!r}; use port-of-entry or inland")
    return code


def is_holiday(day: dt.date, province: str | None = None, *, office_closures: bool | None = None,
               fc_rules: bool = False, unverified: bool | None = None) -> bool:
    """Saturday, Sunday, a federal or provincial holiday; `office_closures` as in federal_holidays; `fc_rules`: also
    the Federal Courts Rules r.2 days (fc_rules_days); `unverified` as in holiday_dates."""
    return (day.weekday() >= 5
            or day in holiday_dates(province, day.year, office_closures=office_closures, unverified=unverified)
            or (fc_rules and day in fc_rules_days(day.year)))


def holiday_name(day: dt.date, province: str | None = None) -> str:
    federal = federal_holidays(day.year)
    if day in federal:
        return federal[day]
    if province and day in provincial_holidays(province, day.year):
        return provincial_holidays(province, day.year)[day]
    return "Saturday" if day.weekday() == 5 else "Sunday" if day.weekday() == 6 else ""


def in_fc_recess(day: dt.date) -> bool:
    return (day.month, day.day) >= RECESS_START or (day.month, day.day) <= RECESS_END


def add_months(day: dt.date, months: int) -> dt.date:
    """Interpretation Act s.28: same day number, or the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Rule:
    """An immutable copy of one DeadlineRule row (the engine never touches the database)."""

    key: str
    label: str
    trigger: str
    period: int
    unit: str = "calendar_days"
    direction: str = "after"
    rollover: str = "forward"
    skip_fc_recess: bool = False
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    citation: str = ""
    note: str = ""
    responsible: str = "claimant"
    completed_by: tuple[str, ...] = ()
    closed_by: tuple[str, ...] = ()  # steps that end the window without meeting the deadline
    pk: int | None = None
    route: str = ""  # empty: every claim; else only claims made by that route

    def applies_on(self, day: dt.date) -> bool:
        return (self.effective_from is None or day >= self.effective_from) and (
            self.effective_to is None or day <= self.effective_to)

    def applies_to(self, route: str) -> bool:
        return not self.route or self.route == route

    @classmethod
    def from_model(cls, row) -> Rule:
        return cls(key=row.key, label=row.label, trigger=row.trigger, period=row.period, unit=row.unit,
                   direction=row.direction, rollover=row.rollover, skip_fc_recess=row.skip_fc_recess,
                   effective_from=row.effective_from, effective_to=row.effective_to, citation=row.citation,
                   note=row.note, responsible=row.responsible, completed_by=tuple(row.completed_by or ()),
                   # getattr: the migrations before claims 0016 read rules without the field
                   closed_by=tuple(getattr(row, "closed_by", None) or ()), pk=row.pk, route=row.route)


def compute_due(rule: Rule, trigger_on: dt.date, province: str | None = None, *,
                office_closures: bool | None = None) -> dt.date:
    """The due date. `office_closures` True or False counts OFFICE_CLOSURES as holidays or not throughout; None (the
    default) follows settings.HAVEN_DEADLINE_FEDERAL_OFFICE_CLOSURES when it is on, and otherwise counts them only
    where an extra holiday gives the earlier date: working days counted back from the event, a roll backward.
    Each step is monotonic in its holidays, so the result is the earlier of the two readings or earlier still."""
    if office_closures is None and office_closures_counted():
        office_closures = True
    count_closures = rule.direction == "before" if office_closures is None else office_closures
    roll_closures = rule.rollover == "backward" if office_closures is None else office_closures
    # Provincial days whose law was not read, likewise: counted where they give the earlier date, unless the
    # setting counts them everywhere.
    count_unverified = _unverified_counted() or rule.direction == "before"
    roll_unverified = _unverified_counted() or rule.rollover == "backward"
    step = ONE_DAY if rule.direction == "after" else -ONE_DAY
    if rule.unit == "months":
        day = add_months(trigger_on, rule.period if rule.direction == "after" else -rule.period)
    elif rule.unit == "working_days" or rule.skip_fc_recess:
        day, counted = trigger_on, 0
        while counted < rule.period:
            day += step
            if rule.skip_fc_recess and in_fc_recess(day):
                continue
            if rule.unit == "working_days" and is_holiday(day, province, office_closures=count_closures,
                                                          fc_rules=rule.skip_fc_recess, unverified=count_unverified):
                continue
            counted += 1
    else:
        day = trigger_on + step * rule.period
    if rule.rollover != "none":
        roll = ONE_DAY if rule.rollover == "forward" else -ONE_DAY
        while is_holiday(day, province, office_closures=roll_closures, fc_rules=rule.skip_fc_recess,
                         unverified=roll_unverified):
            day += roll
    return day


class ClosureDoubt(NamedTuple):
    """A deadline that OFFICE_CLOSURES move: the closing days concerned ({day: OFFICE_CLOSURES key}), the due
    date if they are holidays, if they are not (Interpretation Act s.35(1) as read), and the date Haven shows."""

    days: Mapping[dt.date, str]
    counted: dt.date
    not_counted: dt.date
    shown: dt.date


def office_closure_doubt(rule: Rule, trigger_on: dt.date, province: str | None = None) -> ClosureDoubt | None:
    """How the days federal offices close beyond s.35(1) would move this deadline; None when they do not."""
    counted = compute_due(rule, trigger_on, province, office_closures=True)
    not_counted = compute_due(rule, trigger_on, province, office_closures=False)
    if counted == not_counted:
        return None
    span = [counted, not_counted] + ([trigger_on] if rule.unit == "working_days" else [])
    first, last = min(span), max(span)
    days = {day: key for year in range(first.year, last.year + 1) for day, key in office_closure_keys(year).items()
            if first <= day <= last
            and not is_holiday(day, province, office_closures=False, fc_rules=rule.skip_fc_recess)}
    return ClosureDoubt(days, counted, not_counted, compute_due(rule, trigger_on, province))


class Computed(NamedTuple):
    rule: Rule
    trigger: str
    trigger_on: dt.date
    due: dt.date
    event_id: int | None = None

    def as_dict(self) -> dict:
        return {
            "rule": self.rule.key, "label": str(self.rule.label), "trigger": self.trigger,
            "trigger_date": self.trigger_on.isoformat(), "due": self.due.isoformat(),
            "period": self.rule.period, "unit": self.rule.unit, "direction": self.rule.direction,
            "citation": self.rule.citation, "responsible": self.rule.responsible, "route": self.rule.route or "any",
        }


@dataclass
class RuleSet:
    """Active rules indexed by trigger; built once per computation batch."""

    rules: list[Rule]
    by_trigger: dict[str, list[Rule]] = field(default_factory=dict)
    _due_cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for rule in self.rules:
            self.by_trigger.setdefault(rule.trigger, []).append(rule)

    @property
    def rule_keys(self) -> frozenset[str]:
        return frozenset(rule.key for rule in self.rules)

    @property
    def triggers(self) -> frozenset[str]:
        return frozenset(TRIGGERS) | self.rule_keys

    def due(self, rule: Rule, on: dt.date, province: str | None) -> dt.date:
        """compute_due, memoized: many claims share trigger dates (recomputing 100,000 claims)."""
        key = (id(rule), on, province, office_closures_counted(), _unverified_counted())
        result = self._due_cache.get(key)
        if result is None:
            result = self._due_cache[key] = compute_due(rule, on, province)
        return result

    def due_of(self, key: str, on: dt.date, province: str | None) -> dt.date | None:
        """The due date of the rule `key` in force on `on`, counted from `on`; None when no version applies."""
        for rule in self.rules:
            if rule.key == key and rule.applies_on(on):
                return self.due(rule, on, province)
        return None

    def compute(self, triggers: Mapping[str, tuple[dt.date, int | None]] | Iterable[tuple[str, dt.date]],
                province: str | None = None, ordered: bool = True,
                route: str = IntakeRoute.PORT_OF_ENTRY) -> list[Computed]:
        """Deadlines started by the given triggers ({trigger: (date, event_id)} or [(trigger, date)]),
        including rules triggered by another rule's due date, for a claim made by `route`."""
        if isinstance(triggers, Mapping):
            pending = [(key, on, event_id) for key, (on, event_id) in triggers.items()]
        else:
            pending = [(key, on, None) for key, on in triggers]
        results: dict[str, Computed] = {}
        depth = 0
        by_trigger, due = self.by_trigger, self.due
        while pending and depth < 5:
            chained = []
            for key, on, event_id in pending:
                for rule in by_trigger.get(key, ()):
                    if rule.route and rule.route != route:
                        continue
                    if (rule.effective_from is not None and on < rule.effective_from) or (
                            rule.effective_to is not None and on > rule.effective_to):
                        continue
                    when = due(rule, on, province)
                    results[rule.key] = Computed(rule, key, on, when, event_id)
                    if rule.key in by_trigger:
                        chained.append((rule.key, when, event_id))
            pending, depth = chained, depth + 1
        if not ordered:
            return list(results.values())
        return sorted(results.values(), key=lambda c: (c.due, c.rule.key))


def load_rules() -> RuleSet:
    return RuleSet([Rule.from_model(row) for row in DeadlineRule.objects.filter(active=True)])


def deadlines_for(trigger: str, on: dt.date, province: str | None = None,
                  rules: RuleSet | None = None, route: str | None = None) -> list[Computed]:
    """Every deadline one trigger starts for a claim made by `route` (the `haven deadlines` command)."""
    rules = rules or load_rules()
    province = check_province(province)
    route = check_route(route)
    if trigger not in rules.triggers:
        raise UnknownTrigger(f"unknown event {trigger!r}; use one of {', '.join(sorted(rules.triggers))}")
    return rules.compute([(trigger, on)], province, route=route)
