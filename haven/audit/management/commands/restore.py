from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haven.audit.restore import RestoreRefused, read_keys, restore_backup

from ._passphrase import add_passphrase_argument, passphrase


class Command(BaseCommand):
    help = ("Restore an archive of `haven backup` into an empty or freshly migrated database (DATABASE_URL): all or "
            "nothing. `--keys-out FILE` only writes the archive's keys (a backup made with --include-keys) to FILE, "
            "as the HAVEN_ENCRYPTION_KEYS and HAVEN_AUDIT_KEYS to set before restoring. See docs/operations.md.")

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--keys-out", type=Path, help="write the archive's keys to this file and stop")
        add_passphrase_argument(parser)

    def handle(self, *args, archive, keys_out=None, passphrase_file=None, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist")
        secret = passphrase(passphrase_file)
        try:
            if keys_out is not None:
                self._write_keys(archive, secret, keys_out)
                return
            summary = restore_backup(archive, passphrase=secret)
        except RestoreRefused as exc:
            raise CommandError(f"restore refused, nothing written: {exc}") from exc
        rows = sum(summary["tables"].values())
        self.stdout.write(self.style.SUCCESS(
            f"restored {rows} rows in {len(summary['tables'])} tables; audit chain verified up to entry "
            f"#{summary['audit_head']}"))

    def _write_keys(self, archive: Path, secret: str, keys_out: Path) -> None:
        encryption, audit = read_keys(archive, passphrase=secret)
        keys_out.touch(mode=0o600)
        keys_out.write_text(f"HAVEN_ENCRYPTION_KEYS={','.join(encryption)}\nHAVEN_AUDIT_KEYS={','.join(audit)}\n")
        self.stdout.write(f"keys written to {keys_out}: set them in the environment, then restore")
