"""`haven casework digest`: e-mail each user their overdue work and their tasks, appointments and claim deadlines
of today and this week, once a day (safe to run hourly from cron)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from haven.casework.digest import send_digests


class Command(BaseCommand):
    help = "`digest`: send today's work digest to every user who has work and has not had it yet."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["digest"])

    def handle(self, *args, action, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} digest e-mail(s) sent")
