"""`haven budget --family-size N [--months M] [--in-kind AMOUNT] [--table-date YYYY-MM-DD] --json`

The settlement plan budget from the IRCC cost table in force on the date (default today). Bad input exits 2 with
a one-line message (the options are read as text and checked here, so argparse never prints its usage)."""
from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haven.sponsorship.plans import budget_for, parse_money

BAD_INPUT = 2


def _integer(text: str, name: str) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        raise CommandError(f"{name} must be a whole number, not {text!r}", returncode=BAD_INPUT) from None


class Command(BaseCommand):
    help = "Settlement plan budget from the IRCC sponsorship cost table (amounts in dollars, two decimals)."

    def add_arguments(self, parser):
        parser.add_argument("--family-size", required=True, help="People in the household (1 or more).")
        parser.add_argument("--months", default="12", help="Months of income support, 12 to 36 (default 12).")
        parser.add_argument("--in-kind", default="0", help="Value of in-kind donations in dollars (default 0).")
        parser.add_argument("--table-date", default="", help="Use the cost table in force on YYYY-MM-DD.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        family_size = _integer(options["family_size"], "--family-size")
        months = _integer(options["months"], "--months")
        on = None
        if options["table_date"]:
            try:
                on = dt.date.fromisoformat(options["table_date"])
            except ValueError:
                raise CommandError(f"--table-date must be a date as YYYY-MM-DD, not {options['table_date']!r}",
                                   returncode=BAD_INPUT) from None
        try:
            in_kind = parse_money(options["in_kind"])
            budget = budget_for(family_size=family_size, months=months, in_kind=in_kind, on=on)
        except ValidationError as error:
            raise CommandError(" ".join(str(m) for m in error.messages), returncode=BAD_INPUT) from None
        data = budget.as_json()
        if options["json"]:
            self.stdout.write(json.dumps(data))
            return
        for key in ("income_support", "start_up", "in_kind", "total", "cash_needed", "months"):
            self.stdout.write(f"{key:15} {data[key]}")
        for line in data["schedule"]:
            self.stdout.write(f"month {line['month']:>2}       {line['amount']}")
