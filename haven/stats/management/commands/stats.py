"""`haven stats claims --by year|quarter [--country ISO2] [--count claimants|claims] --format csv|json`
`haven stats import-published FILE [--format curated|irb|ircc] [--publisher ...]`
`haven stats mark-figure ID retracted|erroneous|valid --source "who said so, where"`"""
from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haven.cases.models import Case
from haven.people.codes import country_code
from haven.stats import exports
from haven.stats.figures import CLAIM_FILE_OUTCOMES, CLAIM_OUTCOMES
from haven.stats.published import ImportFileError
from haven.stats.registry import Scope, build_table
from haven.stats.models import PublishedFigure, Reliability
from haven.stats.services import import_published, mark_figure

# The command's columns, fixed for scripts that read them: recognition_rate was added after acceptance_rate.
CLAIM_COLUMNS = ("period", "referred", "accepted", "rejected", "abandoned", "withdrawn_other", "finalized",
                 "pending", "acceptance_rate", "recognition_rate")


class Command(BaseCommand):
    help = "Statistics: claim outcome tables and the import of published figures."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        claims = sub.add_parser("claims", help="IRB-style claim outcome table of every claim (or one organization).")
        claims.add_argument("--by", choices=["year", "quarter"], default="year")
        claims.add_argument("--country", default="", help="ISO alpha-2, alpha-3 or English name.")
        claims.add_argument("--format", dest="fmt", choices=["csv", "json"], default="csv")
        claims.add_argument("--count", choices=["claimants", "claims"], default="claimants",
                            help="Count claimants, one per person as the IRB does (default), or claim files.")
        claims.add_argument("--organization", default="", help="Organization slug (default: all).")
        claims.add_argument("--published", action="store_true",
                            help="Outside-use version: small counts suppressed, others rounded to 5.")
        imp = sub.add_parser("import-published", help="Import an IRB/IRCC table or curated figures (all or nothing).")
        imp.add_argument("file")
        imp.add_argument("--format", dest="fmt", choices=["curated", "irb", "ircc"], default=None,
                         help="Default: guessed from the header.")
        for option in ("publisher", "title", "url", "published", "accessed", "period", "measure", "subject",
                       "unit"):
            imp.add_argument(f"--{option}", default="")
        mark = sub.add_parser("mark-figure", help="Mark a published figure retracted or erroneous, with its source.")
        mark.add_argument("figure_id", type=int)
        mark.add_argument("reliability", choices=Reliability.values)
        mark.add_argument("--source", default="", help="Who retracted it or showed it wrong, and where.")

    def handle(self, *args, action, **options):
        if action == "claims":
            return self.claims(**options)
        if action == "mark-figure":
            return self.mark_figure(**options)
        return self.import_published(**options)

    def mark_figure(self, *, figure_id, reliability, source, **_):
        figure = PublishedFigure.objects.filter(pk=figure_id).first()
        if figure is None:
            raise CommandError(f"no published figure {figure_id}")
        try:
            mark_figure(actor=None, figure=figure, reliability=reliability, source=source)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"figure {figure_id}: {reliability}"))

    def claims(self, *, by, country, fmt, organization, published, count="claimants", **_):
        if country:
            try:
                country = country_code(country)
            except ValidationError as exc:
                raise CommandError(exc.messages[0]) from None
        cases = Case.objects.all()
        if organization:
            cases = cases.filter(organization__slug=organization)
        figure = CLAIM_OUTCOMES if count == "claimants" else CLAIM_FILE_OUTCOMES
        table = build_table(figure, Scope(cases=cases, published=published, label="command line"),
                            {"by": by, "country": country})
        if fmt == "csv":
            self.stdout.write(exports.to_csv(table, header_keys=True, keys=CLAIM_COLUMNS), ending="")
            return
        rows = [{key: _json_value(row.get(key)) for key in CLAIM_COLUMNS} for row in table.rows]
        self.stdout.write(json.dumps(rows, indent=2))

    def import_published(self, *, file, fmt, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        extra = {k: options[k] for k in ("publisher", "title", "url", "published", "accessed", "period", "measure",
                                         "subject", "unit") if options.get(k)}
        try:
            result = import_published(actor=None, data=path.read_bytes(), filename=path.name, fmt=fmt, **extra)
        except ImportFileError as exc:
            for row, message in exc.errors:
                sys.stderr.write(f"{path.name}: row {row}: {message}\n")
            raise CommandError(f"nothing imported: {len(exc.errors)} error(s)") from None
        except KeyError as exc:
            raise CommandError(f"unknown format {exc}") from None
        self.stdout.write(self.style.SUCCESS(
            f"imported {result.figures} figure(s) from {result.sources} source(s), {result.suppressed} suppressed"))


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if value == "":
        return None
    return value
