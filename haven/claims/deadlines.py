"""The deadline engine: rules are data (DeadlineRule rows), this module only counts days.

Counting follows the Interpretation Act (R.S.C. 1985, c. I-21):
- s.27(2): a period of days after an event excludes the day of the event and
  includes the last day, so "15 days after 1 March" is 16 March;
- s.28: months are counted to the day with the same number, or the last day of
  a shorter month (29 February + 12 months = 28 February);
- s.26: a period that ends on a holiday ends on the next day that is not one.
  Rules that count *before* an event (10 days before a hearing) roll backward
  instead by default, so that the computed day is never later than the law's.

A holiday is a Saturday, a Sunday, a holiday on the Interpretation Act s.35
federal list, or a non-juridical day of the province of the claim under its own
law (haven.claims.holiday_law, which cites each). See docs/deadline-rules.md for
every choice made.

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
from haven.claims.holiday_law import provincial_non_juridical_days
from haven.claims.models import DeadlineRule, IntakeRoute

ONE_DAY = dt.timedelta(days=1)
PROVINCES = frozenset(holidays.Canada.subdivisions)
# The Federal Court's Christmas recess, not counted when a rule says so (Federal Courts Rules r.6(3)).
RECESS_START = (12, 21)
RECESS_END = (1, 7)
# These holidays falling on a Sunday make the Monday a holiday too. Only Canada Day's is in the text read (Holidays Act
# s.2(2)); Interpretation Act s.35(2) is not about holidays: docs/deadline-rules.md leaves the rest open.
SUNDAY_SHIFTED = ("New Year's Day", "Canada Day", "Remembrance Day")


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


@lru_cache(maxsize=256)
def federal_holidays(year: int) -> Mapping[dt.date, str]:
    """The Interpretation Act s.35 federal holidays of a year (weekends aside).

    `holidays.Canada` "government" category supplies New Year's Day, Good Friday,
    Victoria Day, Canada Day, Labour Day, the National Day for Truth and
    Reconciliation (from 2021), Thanksgiving, Remembrance Day, Christmas and
    Boxing Day; Easter Monday is added here, as are the Sunday Mondays (SUNDAY_SHIFTED). Boxing Day and the New
    Year's Day and Remembrance Day Mondays are wider than s.35(1) as read (docs/deadline-rules.md: open).
    """
    days = dict(holidays.Canada(years=year, categories=("government",), observed=False).items())
    days[easter(year) + ONE_DAY] = "Easter Monday"
    for day, name in list(days.items()):
        if day.weekday() == 6 and any(shifted in name for shifted in SUNDAY_SHIFTED):
            days.setdefault(day + ONE_DAY, f"{name} (Monday after a Sunday)")
    return days


def provincial_holidays(province: str, year: int) -> Mapping[dt.date, str]:
    """The province's non-juridical days of a year beyond the federal list (haven.claims.holiday_law)."""
    return _provincial_holidays(province, year,
                                getattr(settings, "HAVEN_DEADLINE_UNVERIFIED_PROVINCIAL_HOLIDAYS", False))


@lru_cache(maxsize=1024)
def _provincial_holidays(province: str, year: int, include_unverified: bool) -> Mapping[dt.date, str]:
    return provincial_non_juridical_days(province, year, set(federal_holidays(year)),
                                         include_unverified=include_unverified)


def holiday_dates(province: str | None, year: int) -> frozenset[dt.date]:
    return _holiday_dates(province, year, getattr(settings, "HAVEN_DEADLINE_UNVERIFIED_PROVINCIAL_HOLIDAYS", False))


@lru_cache(maxsize=1024)
def _holiday_dates(province: str | None, year: int, include_unverified: bool) -> frozenset[dt.date]:
    days = set(federal_holidays(year))
    if province:
        days |= set(_provincial_holidays(province, year, include_unverified))
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


def is_holiday(day: dt.date, province: str | None = None) -> bool:
    return day.weekday() >= 5 or day in holiday_dates(province, day.year)


def holiday_name(day: dt.date, province: str | None = None) -> str:
    if day in federal_holidays(day.year):
        return federal_holidays(day.year)[day]
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
                   pk=row.pk, route=row.route)


def compute_due(rule: Rule, trigger_on: dt.date, province: str | None = None) -> dt.date:
    step = ONE_DAY if rule.direction == "after" else -ONE_DAY
    if rule.unit == "months":
        day = add_months(trigger_on, rule.period if rule.direction == "after" else -rule.period)
    elif rule.unit == "working_days" or rule.skip_fc_recess:
        day, counted = trigger_on, 0
        while counted < rule.period:
            day += step
            if rule.skip_fc_recess and in_fc_recess(day):
                continue
            if rule.unit == "working_days" and is_holiday(day, province):
                continue
            counted += 1
    else:
        day = trigger_on + step * rule.period
    if rule.rollover != "none":
        roll = ONE_DAY if rule.rollover == "forward" else -ONE_DAY
        while is_holiday(day, province):
            day += roll
    return day


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
        key = (id(rule), on, province)
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
