"""`haven deadlines`: compute deadlines from the command line, recompute stored ones, send reminders.

    haven deadlines --event rpd_reasons_received --date 2024-12-20 --province ON --json
    haven deadlines --event referral_to_rpd --date 2024-06-03 --route inland   # no 15-day BOC deadline
    haven deadlines recompute            # rewrite every claim's deadlines from the current rules
    haven deadlines remind [--days N]    # e-mail reminders for deadlines due within N days

Errors in the arguments (unknown event, province or route, malformed date) print a
message on stderr and exit with status 2.
"""
from __future__ import annotations

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand

from haven.claims.deadlines import UnknownProvince, UnknownRoute, UnknownTrigger, deadlines_for
from haven.claims.reminders import send_reminders
from haven.claims.recompute import recompute_all_deadlines


class Command(BaseCommand):
    help = "Compute deadlines for an event (--event, --date, --province), or `recompute` / `remind`."

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", default="compute", choices=["compute", "recompute", "remind"])
        parser.add_argument("--event", help="trigger event, e.g. referral_to_rpd or rpd_reasons_received")
        parser.add_argument("--date", help="date of the event, YYYY-MM-DD")
        parser.add_argument("--province", default="", help="province or territory code of the claim, e.g. ON, QC")
        parser.add_argument("--route", default="port-of-entry", choices=["port-of-entry", "inland"],
                            help="how the claim was made (IRPR s.159.8): port-of-entry (default) or inland")
        parser.add_argument("--json", action="store_true", help="print a JSON list")
        parser.add_argument("--days", type=int, default=None, help="remind: days ahead (HAVEN_DEADLINE_REMINDER_DAYS)")

    def fail(self, message: str) -> None:
        self.stderr.write(f"haven deadlines: error: {message}")
        sys.exit(2)

    def handle(self, *args, action, **options):
        if action == "recompute":
            stats = recompute_all_deadlines()
            self.stdout.write(f"{stats['claims']} claims: {stats['created']} deadlines added, "
                              f"{stats['updated']} changed, {stats['deleted']} removed")
            return
        if action == "remind":
            sent = send_reminders(days=options["days"])
            self.stdout.write(f"{sent} reminder e-mail(s) sent")
            return
        self.compute(options)

    def compute(self, options) -> None:
        if not options["event"]:
            self.fail("--event is required (e.g. --event referral_to_rpd)")
        if not options["date"]:
            self.fail("--date is required (YYYY-MM-DD)")
        try:
            on = dt.date.fromisoformat(options["date"])
        except ValueError:
            self.fail(f"malformed date {options['date']!r}: use YYYY-MM-DD")
        try:
            results = deadlines_for(options["event"], on, options["province"] or None, route=options["route"])
        except (UnknownTrigger, UnknownProvince, UnknownRoute) as exc:
            self.fail(str(exc))
        if options["json"]:
            self.stdout.write(json.dumps([item.as_dict() for item in results], indent=2, ensure_ascii=False))
            return
        if not results:
            self.stdout.write("No deadline starts from this event.")
        for item in results:
            self.stdout.write(f"{item.due.isoformat()}  {item.rule.key:<28} {item.rule.citation}")
