from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haven.audit.backup import write_backup
from haven.audit.keys import AuditKeyError
from haven.crypto.keyring import KeyringError
from haven.db.archive import ArchiveError

from ._passphrase import add_passphrase_argument, passphrase


class Command(BaseCommand):
    help = ("Write one archive, encrypted with a passphrase, of the whole database (a consistent snapshot, taken "
            "while the server runs), the audit checkpoints and any media files; the encryption and audit keys only "
            "with --include-keys. See docs/operations.md.")

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True, help="the archive to write")
        parser.add_argument("--include-keys", action="store_true",
                            help="also store the encryption and audit keys (then the passphrase guards everything)")
        add_passphrase_argument(parser)

    def handle(self, *args, out, include_keys=False, passphrase_file=None, **options):
        secret = passphrase(passphrase_file)
        try:
            summary = write_backup(out, passphrase=secret, include_keys=include_keys)
        except (ArchiveError, KeyringError, AuditKeyError, OSError) as exc:
            raise CommandError(f"backup failed, nothing written: {exc}") from exc
        rows = sum(summary["tables"].values())
        self.stdout.write(self.style.SUCCESS(
            f"backup written to {out}: {rows} rows in {len(summary['tables'])} tables, audit entries up to "
            f"#{summary['audit_head']}, {summary['media_files']} media files"
            + (", with keys" if include_keys else ", without keys")))
