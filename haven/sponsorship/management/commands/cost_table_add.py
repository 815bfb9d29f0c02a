"""`haven cost_table_add FILE.csv --from YYYY-MM-DD --source TEXT`: an administrator adds a new version of the
IRCC sponsorship cost table (plans made earlier keep the version they used).

The CSV has the columns family_size,income_support,start_up: one row per family size from 1 up, and one row whose
family_size is `extra` for the amounts each person beyond the largest size adds."""
from __future__ import annotations

import csv
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haven.sponsorship.plans import add_cost_table


class Command(BaseCommand):
    help = "Add a new version of the IRCC sponsorship cost table from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--from", dest="effective_from", required=True, help="In force from YYYY-MM-DD.")
        parser.add_argument("--source", required=True, help="Where the table comes from.")

    def handle(self, *args, **options):
        try:
            effective_from = dt.date.fromisoformat(options["effective_from"])
            with open(options["file"], encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
            extra = next(row for row in rows if row["family_size"].strip() == "extra")
            sizes = {int(row["family_size"]): (row["income_support"].strip(), row["start_up"].strip())
                     for row in rows if row["family_size"].strip() != "extra"}
            table = add_cost_table(actor=None, effective_from=effective_from, source=options["source"], rows=sizes,
                                   extra_person=(extra["income_support"].strip(), extra["start_up"].strip()))
        except (OSError, KeyError, ValueError, StopIteration) as error:
            raise CommandError(f"cannot read the table: {error!r}", returncode=2) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from None
        self.stdout.write(f"Cost table in force from {table.effective_from:%Y-%m-%d} added ({len(sizes)} sizes).")
