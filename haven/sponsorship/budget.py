"""The settlement plan budget, computed from one version of the cost table: income support for the months of
the plan at the table's monthly rate, start-up costs, in-kind donations, and the monthly schedule in cents.

Pure arithmetic on Decimal (no database), shared by the plan pages, the API and `haven budget`."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
BASE_MONTHS = 12
MAX_MONTHS = 36
LARGEST_LISTED_SIZE = 6


@dataclass(frozen=True)
class TableAmounts:
    """A cost table version as plain amounts: {family size: (12 months income support, start-up)} and the
    per-person amounts added beyond the largest listed size."""

    by_size: dict[int, tuple[Decimal, Decimal]]
    extra_person: tuple[Decimal, Decimal]

    def for_size(self, family_size: int) -> tuple[Decimal, Decimal]:
        largest = max(self.by_size)
        if family_size <= largest:
            return self.by_size[family_size]
        income, start_up = self.by_size[largest]
        extra = family_size - largest
        return income + extra * self.extra_person[0], start_up + extra * self.extra_person[1]


@dataclass(frozen=True)
class Budget:
    family_size: int
    months: int
    income_support: Decimal
    start_up: Decimal
    in_kind: Decimal
    schedule: tuple[Decimal, ...]

    @property
    def total(self) -> Decimal:
        return self.income_support + self.start_up

    @property
    def cash_needed(self) -> Decimal:
        return max(self.total - self.in_kind, Decimal("0.00"))

    @property
    def monthly_rate(self) -> Decimal:
        return self.schedule[0] if self.schedule else Decimal("0.00")

    def as_json(self) -> dict:
        """The object `haven budget --json` prints: amounts as strings with two decimal places."""
        return {
            "income_support": money_text(self.income_support), "start_up": money_text(self.start_up),
            "in_kind": money_text(self.in_kind), "total": money_text(self.total),
            "cash_needed": money_text(self.cash_needed), "months": self.months,
            "schedule": [{"month": index, "amount": money_text(amount)}
                         for index, amount in enumerate(self.schedule, start=1)],
        }


def money_text(amount: Decimal) -> str:
    return str(amount.quantize(CENT))


def income_support_for(annual: Decimal, months: int) -> Decimal:
    """Income support for `months` at the monthly rate of the table's 12-month amount, to the cent."""
    return (annual * months / BASE_MONTHS).quantize(CENT, rounding=ROUND_HALF_UP)


def monthly_schedule(income_support: Decimal, months: int) -> tuple[Decimal, ...]:
    """`months` payments in whole cents summing exactly to `income_support`: equal shares rounded down, the
    remainder of the division added to the last month (so no cent is lost or invented)."""
    cents = int((income_support / CENT).to_integral_value())
    share, remainder = divmod(cents, months)
    amounts = [share] * months
    amounts[-1] += remainder
    return tuple(Decimal(amount) * CENT for amount in amounts)


def compute_budget(table: TableAmounts, *, family_size: int, months: int = BASE_MONTHS,
                   in_kind: Decimal = Decimal("0")) -> Budget:
    """The budget of a household of `family_size` for `months` of income support (12 to 36). Callers validate
    the inputs (haven.sponsorship.plans.check_budget_inputs) and give the reasons; this only computes."""
    annual, start_up = table.for_size(family_size)
    income = income_support_for(annual, months)
    return Budget(family_size=family_size, months=months, income_support=income,
                  start_up=start_up.quantize(CENT), in_kind=Decimal(in_kind).quantize(CENT),
                  schedule=monthly_schedule(income, months))
