"""`haven sponsorship_alerts`: run daily from cron. Raises an alert 60 and again 30 days before each
sponsorship period ends (once per threshold) and prints one line per new alert, saying whether the family is
self-sufficient (haven.settlement's rule)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from haven.sponsorship.plans import raise_due_alerts


class Command(BaseCommand):
    help = "Raise the alerts due 60 and 30 days before sponsorship periods end."

    def handle(self, *args, **options):
        for alert in raise_due_alerts():
            application = alert.plan.application
            self.stdout.write(f"{application.case.reference}: sponsorship period ends on "
                              f"{alert.period_ends_on:%Y-%m-%d} ({alert.days_before}-day alert), "
                              f"{'self-sufficient' if alert.self_sufficient else 'not yet self-sufficient'}")
