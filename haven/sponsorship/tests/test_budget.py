"""Cost table totals for every family size (the 2018 table, per-extra-person rule), schedules that sum exactly,
and `haven budget`."""
from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from haven.cli import main
from haven.sponsorship.budget import TableAmounts, compute_budget, monthly_schedule
from haven.sponsorship.plans import amounts_of, table_in_force

# The 2018 table of the brief: (12 months income support, start-up, total).
TABLE_2018 = {1: (13200, 3300, 16500), 2: (19700, 5100, 24800), 3: (20400, 6300, 26700), 4: (21200, 7500, 28700),
              5: (23700, 8600, 32300), 6: (25700, 9800, 35500)}


@pytest.mark.django_db
@pytest.mark.parametrize("size", range(1, 7))
def test_listed_family_sizes_match_the_2018_table(size):
    budget = compute_budget(amounts_of(table_in_force(dt.date(2024, 1, 1))), family_size=size)
    income, start_up, total = TABLE_2018[size]
    assert (budget.income_support, budget.start_up, budget.total) == (Decimal(income), Decimal(start_up),
                                                                       Decimal(total))


@pytest.mark.django_db
@pytest.mark.parametrize("size", [7, 8, 10])
def test_each_extra_person_adds_1600_and_1100(size):
    budget = compute_budget(amounts_of(table_in_force(dt.date(2024, 1, 1))), family_size=size)
    extra = size - 6
    assert budget.income_support == Decimal(25700 + 1600 * extra)
    assert budget.start_up == Decimal(9800 + 1100 * extra)
    assert budget.total == Decimal(35500 + 2700 * extra)


TABLE = TableAmounts(by_size={size: (Decimal(i), Decimal(s)) for size, (i, s, _t) in TABLE_2018.items()},
                     extra_person=(Decimal(1600), Decimal(1100)))


@settings(max_examples=300, deadline=None)
@given(size=st.integers(1, 25), months=st.integers(12, 36),
       in_kind=st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False))
def test_schedule_sums_exactly_to_income_support_in_cents(size, months, in_kind):
    budget = compute_budget(TABLE, family_size=size, months=months, in_kind=in_kind)
    assert len(budget.schedule) == months
    assert sum(budget.schedule) == budget.income_support
    assert all(amount == amount.quantize(Decimal("0.01")) for amount in budget.schedule)
    assert max(budget.schedule[:-1], default=budget.schedule[-1]) <= budget.schedule[-1]  # remainder last
    assert budget.cash_needed == max(budget.total - budget.in_kind, Decimal(0))


def test_remainder_goes_to_the_last_month():
    assert monthly_schedule(Decimal("100.00"), 13)[-1] == Decimal("7.72")
    assert monthly_schedule(Decimal("100.00"), 13)[0] == Decimal("7.69")


def test_extra_months_are_at_the_same_monthly_rate():
    budget = compute_budget(TABLE, family_size=4, months=18)
    assert budget.income_support == Decimal("31800.00")  # 21200 / 12 * 18


@pytest.mark.django_db
def test_budget_command_prints_the_json_object():
    out = io.StringIO()
    call_command("budget", "--family-size", "8", "--months", "13", "--in-kind", "100.50", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert list(data) == ["income_support", "start_up", "in_kind", "total", "cash_needed", "months", "schedule"]
    assert data["income_support"] == "31308.33" and data["start_up"] == "12000.00"
    assert data["total"] == "43308.33" and data["cash_needed"] == "43207.83" and data["in_kind"] == "100.50"
    assert data["months"] == 13 and data["schedule"][0] == {"month": 1, "amount": "2408.33"}
    assert data["schedule"][-1] == {"month": 13, "amount": "2408.37"}
    assert sum(Decimal(line["amount"]) for line in data["schedule"]) == Decimal(data["income_support"])


@pytest.mark.django_db
def test_in_kind_above_the_total_leaves_no_cash_needed():
    out = io.StringIO()
    call_command("budget", "--family-size", "1", "--in-kind", "99999", "--json", stdout=out)
    assert json.loads(out.getvalue())["cash_needed"] == "0.00"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("args, message", [
    (["--family-size", "0"], "at least one person"),
    (["--family-size", "two"], "whole number"),
    (["--family-size", "2", "--months", "11"], "12 to 36"),
    (["--family-size", "2", "--months", "37"], "12 to 36"),
    (["--family-size", "2", "--in-kind", "-5"], "negative"),
    (["--family-size", "2", "--table-date", "2018-04-30"], "No cost table"),
    (["--family-size", "2", "--table-date", "30/04/2018"], "YYYY-MM-DD"),
])
def test_bad_input_exits_2_with_one_line(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["budget", *args, "--json"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


@pytest.mark.django_db
def test_table_date_picks_the_table_in_force():
    from haven.sponsorship.plans import add_cost_table

    add_cost_table(actor=None, effective_from=dt.date(2025, 1, 1), source="a newer table (test)",
                   rows={1: ("14000", "3500")}, extra_person=("1700", "1200"))
    old, new = io.StringIO(), io.StringIO()
    call_command("budget", "--family-size", "2", "--table-date", "2024-12-31", "--json", stdout=old)
    call_command("budget", "--family-size", "2", "--table-date", "2025-01-01", "--json", stdout=new)
    assert json.loads(old.getvalue())["total"] == "24800.00"
    assert json.loads(new.getvalue())["total"] == "20400.00"  # (14000 + 1700) + (3500 + 1200)


@pytest.mark.django_db
def test_an_administrator_adds_a_cost_table_version_from_csv(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("family_size,income_support,start_up\n1,14000,3500\n2,20500,5300\nextra,1700,1200\n")
    out = io.StringIO()
    call_command("cost_table_add", str(path), "--from", "2026-01-01", "--source", "IRCC (test)", stdout=out)
    assert "2026-01-01" in out.getvalue()
    budget = compute_budget(amounts_of(table_in_force(dt.date(2026, 1, 1))), family_size=4)
    assert budget.total == Decimal(20500 + 2 * 1700 + 5300 + 2 * 1200)
    with pytest.raises(Exception, match="already starts on that date"):
        call_command("cost_table_add", str(path), "--from", "2026-01-01", "--source", "again")
