"""`haven export cases --user USERNAME --format csv|xlsx --out FILE`: the cases that user may see."""
from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from haven.cases.models import Case
from haven.cases.selectors import case_list
from haven.transfer.export import FORMATS, export_cases


class Command(BaseCommand):
    help = "Export the cases a user may see (same rules as the web UI) to CSV or XLSX; the export is audited."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["cases"])
        parser.add_argument("--user", required=True, help="export what this user may see, audited as them")
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), default="csv")
        parser.add_argument("--out", required=True, type=Path, help="file to write")
        parser.add_argument("--q", default="", help="search, as in the case list")
        parser.add_argument("--status", choices=Case.Status.values, help="only cases with this status")

    def handle(self, *args, what, user, fmt, out: Path, q, status, **options):
        try:
            account = get_user_model().objects.get(username=user, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no active user “{user}”") from None
        cases = case_list(user=account, query=q, filters={"status": status} if status else {})
        content, _content_type, _filename = export_cases(user=account, cases=cases, fmt=fmt)
        out.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"wrote {out} ({fmt.upper()}, {len(content)} bytes)"))
