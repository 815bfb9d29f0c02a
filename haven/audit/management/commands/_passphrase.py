"""The backup passphrase: `--passphrase-file FILE` (its first line), else HAVEN_BACKUP_PASSPHRASE."""
import os
from pathlib import Path

from django.core.management.base import CommandError


def add_passphrase_argument(parser) -> None:
    parser.add_argument("--passphrase-file", type=Path,
                        help="read the passphrase from this file's first line (default: HAVEN_BACKUP_PASSPHRASE)")


def passphrase(passphrase_file: Path | None) -> str:
    if passphrase_file is not None:
        try:
            lines = passphrase_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise CommandError(f"cannot read the passphrase file: {exc}") from exc
        value = lines[0] if lines else ""
    else:
        value = os.environ.get("HAVEN_BACKUP_PASSPHRASE", "")
    if not value:
        raise CommandError("no backup passphrase: set HAVEN_BACKUP_PASSPHRASE or give --passphrase-file")
    return value
