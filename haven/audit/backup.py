"""`haven backup`: one passphrase-encrypted archive (haven.db.archive) of the whole installation's data.

Inside, a tar stream, in this order: `manifest.json` (format, when, from which database, the schema's migrations,
which keys are included), `keys/encryption-keys.txt` and `keys/audit-keys.txt` (only with --include-keys),
`audit-checkpoints.log` (the checkpoint lines up to the snapshot's last audit entry), one `tables/<table>.jsonl`
per table (haven.db.tables: portable JSON rows, encrypted columns as ciphertext), `media/...` (files under
MEDIA_ROOT, if one is configured: attachments themselves are stored encrypted in the database), and
`summary.json` (every table's row count and the audit head) last, so a restore knows the archive is complete.

The rows come from one consistent snapshot (haven.db.snapshot), taken while the server keeps running."""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings

from haven.audit import keys as audit_keys
from haven.audit.checkpoint import read_checkpoints
from haven.audit.models import AuditEntry
from haven.crypto import keyring
from haven.db.archive import EncryptedWriter
from haven.db.snapshot import applied_migrations, consistent_snapshot
from haven.db.tables import backed_up_models, columns, read_rows

FORMAT, VERSION = "haven-backup", 1


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))


def _add_json(tar: tarfile.TarFile, name: str, value) -> None:
    _add_bytes(tar, name, json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8"))


def _add_table(tar: tarfile.TarFile, model, alias: str) -> int:
    """The table as JSON lines, spooled to disk past a few megabytes: a tar member needs its size first."""
    count = 0
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        header = {"table": model._meta.db_table, "columns": [field.column for field in columns(model)]}
        spool.write(json.dumps(header).encode() + b"\n")
        for row in read_rows(model, using=alias):
            spool.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
            count += 1
        info = tarfile.TarInfo(f"tables/{model._meta.db_table}.jsonl")
        info.size, info.mode = spool.tell(), 0o600
        spool.seek(0)
        tar.addfile(info, spool)
    return count


def _add_media(tar: tarfile.TarFile) -> int:
    root = Path(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else None
    if root is None or not root.is_dir():
        return 0
    files = sorted(path for path in root.rglob("*") if path.is_file())
    for path in files:
        tar.add(path, arcname=f"media/{path.relative_to(root).as_posix()}", recursive=False)
    return len(files)


def _add_keys(tar: tarfile.TarFile) -> dict:
    encryption, audit = keyring.configured_keys(), audit_keys.configured_secrets()
    _add_bytes(tar, "keys/encryption-keys.txt", ("\n".join(encryption) + "\n").encode())
    _add_bytes(tar, "keys/audit-keys.txt", ("\n".join(audit) + "\n").encode())
    return {"encryption": len(encryption), "audit": len(audit)}


def write_backup(out: Path, *, passphrase: str, include_keys: bool = False) -> dict:
    """Write the archive to `out` (through a temporary name, renamed once complete); returns its summary."""
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)  # the archive is encrypted, but nobody else needs to read it
    try:
        with partial.open("wb") as target, EncryptedWriter(target, passphrase) as sealed, \
                tarfile.open(fileobj=sealed, mode="w|") as tar:
            summary = _write_members(tar, include_keys=include_keys)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def _write_members(tar: tarfile.TarFile, *, include_keys: bool) -> dict:
    with consistent_snapshot() as alias:
        head = AuditEntry.objects.using(alias).order_by("-seq").values_list("seq", flat=True).first() or 0
        _add_json(tar, "manifest.json", {
            "format": FORMAT, "version": VERSION, "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "vendor": _vendor(alias), "migrations": applied_migrations(alias),
            "includes_keys": include_keys, "encryption_key_id": keyring.primary_key_id(),
            "audit_key_id": audit_keys.primary_key().id})
        if include_keys:
            _add_keys(tar)
        # Read after the snapshot: every line for an entry in it is there, later ones are left out.
        lines = "".join(c.line() for c in read_checkpoints() if c.seq <= head)
        _add_bytes(tar, "audit-checkpoints.log", lines.encode())
        counts = {model._meta.db_table: _add_table(tar, model, alias) for model in backed_up_models()}
    summary = {"tables": counts, "audit_head": head, "media_files": _add_media(tar)}
    _add_json(tar, "summary.json", summary)
    return summary


def _vendor(alias: str) -> str:
    from django.db import connections

    return connections[alias].vendor
