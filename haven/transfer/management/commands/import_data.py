"""`haven import KIND FILE --organization SLUG`: the kinds come from haven.transfer.registry."""
from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from haven.accounts.models import Organization
from haven.transfer.errors import ImportRejected
from haven.transfer.registry import get_importer, importers


class Command(BaseCommand):
    help = ("Import a CSV or XLSX file. Every row is checked first; nothing is written unless all rows pass. "
            "`haven import people FILE --organization SLUG` (template: docs/import-people.md).")

    def add_arguments(self, parser):
        kinds = importers()
        parser.add_argument("kind", choices=sorted(kinds),
                            help="; ".join(f"{kind}: {importer.help}" for kind, importer in kinds.items()))
        parser.add_argument("file", type=Path, help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument("--organization", required=True, help="slug of the organization that will own the records")
        parser.add_argument("--actor", help="username recorded in the audit log (default: system)")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, write nothing")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

    def handle(self, *args, kind, file: Path, organization: str, actor: str | None, dry_run: bool,
               no_progress: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            org = Organization.objects.get(slug=organization)
        except Organization.DoesNotExist:
            raise CommandError(f"no organization with slug “{organization}”") from None
        user = None
        if actor:
            try:
                user = get_user_model().objects.get(username=actor)
            except get_user_model().DoesNotExist:
                raise CommandError(f"no user “{actor}”") from None
        try:
            outcome = get_importer(kind).run(path=file, organization=org, actor=user, dry_run=dry_run,
                                             progress=not no_progress)
        except ImportRejected as exc:
            raise CommandError(f"{file.name}: the file was not imported.\n{exc.report()}") from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(outcome.summary()))
