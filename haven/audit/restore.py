"""`haven restore`: an archive of `haven backup` into an empty or freshly migrated database, all or nothing.

Everything the archive holds is checked inside one transaction before it commits: the schema's migrations match,
every table's row count matches the archive's summary, every encrypted value decrypts, and the restored audit
chain verifies against the archive's checkpoints. A wrong passphrase, a damaged or incomplete archive, missing keys
or a database in use raise `RestoreRefused` and leave the database as it was. Only after the commit are the
checkpoint file, the keys (laptop key files only) and media files written."""
from __future__ import annotations

import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.db import transaction

from haven.audit import keys as audit_keys
from haven.audit.backup import FORMAT
from haven.audit.checkpoint import Checkpoint, checkpoint_path, parse_checkpoints, write_checkpoint
from haven.audit.models import AuditEntry
from haven.audit.verify import verify_chain
from haven.crypto import keyring
from haven.crypto.fields import PREFIX, EncryptedBinaryField
from haven.db.archive import ArchiveError, EncryptedReader
from haven.db.restore import RestoreError, clear_tables, insert_rows, read_table, reset_sequences
from haven.db.snapshot import applied_migrations
from haven.db.tables import backed_up_models


class RestoreRefused(Exception):
    """Nothing was restored; the message says why."""


@dataclass
class _Loaded:
    """What the archive held besides rows, kept until the rows are committed."""

    manifest: dict = field(default_factory=dict)
    encryption_keys: list[str] = field(default_factory=list)
    audit_secrets: list[str] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    summary: dict | None = None
    media: Path | None = None


def _open(path: Path, passphrase: str) -> tarfile.TarFile:
    reader = io.BufferedReader(EncryptedReader(path.open("rb"), passphrase), buffer_size=1024 * 1024)
    return tarfile.open(fileobj=reader, mode="r|")


def _read_to_the_end(tar: tarfile.TarFile) -> None:
    """Decrypt what follows the last member (the tar's end blocks and padding) too: the reader stops at the last
    member, and only reading every chunk, up to the one flagged last, authenticates the whole archive (a damaged
    or cut tail is refused rather than ignored)."""
    for _chunk in iter(lambda: tar.fileobj.read(1024 * 1024), b""):
        continue  # reading is the check: EncryptedReader raises DamagedArchive on a bad or missing chunk


def read_keys(path: Path, *, passphrase: str) -> tuple[list[str], list[str]]:
    """The encryption keys and audit keys a backup made with --include-keys holds."""
    loaded = _Loaded()
    try:
        with _open(path, passphrase) as tar:
            for member in tar:
                if not member.name.startswith(("manifest", "keys/")):
                    break
                _take_member(tar, member, loaded, None)
    except (ArchiveError, tarfile.TarError) as exc:
        raise RestoreRefused(str(exc)) from exc
    if not loaded.encryption_keys:
        raise RestoreRefused("this backup was made without --include-keys: it holds no keys")
    return loaded.encryption_keys, loaded.audit_secrets


def _check_target() -> None:
    users = apps.get_model(settings.AUTH_USER_MODEL)._base_manager.count()
    entries = AuditEntry.objects.count()
    if users or entries:
        raise RestoreRefused(f"this database is in use ({users} users, {entries} audit entries): restore into an "
                             "empty or freshly migrated database (same DATABASE_URL rules)")


def _check_manifest(manifest: dict) -> None:
    if manifest.get("format") != FORMAT:
        raise RestoreRefused("this archive is not a Haven backup")
    if manifest.get("migrations") != applied_migrations("default"):
        raise RestoreRefused("the backup was made at another schema version than this database's migrations: "
                             "run the same version of Haven, `haven migrate`, and restore again")


def _local_keys() -> bool:
    return settings.HAVEN_ALLOW_LOCAL_KEY and not settings.HAVEN_ENCRYPTION_KEYS


def _local_audit_keys() -> bool:
    return settings.HAVEN_ALLOW_LOCAL_KEY and not settings.HAVEN_AUDIT_KEYS


def _fernet(loaded: _Loaded) -> MultiFernet:
    # From the environment, the configured keys only: the operator sets them (`haven restore --keys-out`).
    extra = loaded.encryption_keys if _local_keys() else []
    return MultiFernet([Fernet(key.encode()) for key in [*keyring.configured_keys(), *extra]])


def _decrypt_check(fernet: MultiFernet, table: str):
    def check(model_field, raw, number: int) -> None:
        if raw in (None, ""):
            return
        token = bytes(raw) if isinstance(model_field, EncryptedBinaryField) else raw[len(PREFIX):].encode()
        try:
            fernet.decrypt(token)
        except (InvalidToken, TypeError, ValueError) as exc:
            raise RestoreRefused(
                f"{table} row {number}, column {model_field.column}: the value cannot be decrypted with the "
                "configured encryption keys. The backup was made without --include-keys (or with other keys): "
                "configure the source installation's keys (HAVEN_ENCRYPTION_KEYS, or var/encryption-keys.txt), "
                "or restore a backup made with --include-keys") from exc
    return check


def _take_member(tar: tarfile.TarFile, member: tarfile.TarInfo, loaded: _Loaded, tables: dict | None) -> None:
    name, data = member.name, tar.extractfile(member) if member.isfile() else None
    if name == "manifest.json":
        loaded.manifest = json.load(data)
        if tables is not None:
            _check_manifest(loaded.manifest)
    elif name == "keys/encryption-keys.txt":
        loaded.encryption_keys = data.read().decode().split()
    elif name == "keys/audit-keys.txt":
        loaded.audit_secrets = data.read().decode().split()
    elif name == "audit-checkpoints.log":
        loaded.checkpoints = parse_checkpoints(data.read().decode("utf-8").splitlines(), source="the backup's")
    elif name.startswith("tables/") and tables is not None:
        _restore_table(data, loaded, tables)
    elif name.startswith("media/") and tables is not None and data is not None:
        _stage_media(name, data, loaded)
    elif name == "summary.json":
        loaded.summary = json.load(data)


def _restore_table(data, loaded: _Loaded, tables: dict) -> None:
    if not loaded.manifest:
        raise RestoreRefused("the archive does not start with its manifest: it is not a Haven backup")
    header, rows = read_table(data)
    model = tables.get(header.get("table"))
    if model is None:
        raise RestoreRefused(f"the backup holds a table this database does not have: {header.get('table')}")
    check = _decrypt_check(_fernet(loaded), model._meta.db_table)
    loaded.counts[model._meta.db_table] = insert_rows(model, header, rows, using="default", check_encrypted=check)


def _stage_media(name: str, data, loaded: _Loaded) -> None:
    relative = Path(name).relative_to("media")
    if relative.is_absolute() or ".." in relative.parts:
        raise RestoreRefused(f"the backup holds a file outside the media directory: {name}")
    if loaded.media is None:
        loaded.media = Path(tempfile.mkdtemp(prefix="haven-restore-media-"))
    target = loaded.media / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        shutil.copyfileobj(data, out)


def restore_backup(path: Path, *, passphrase: str) -> dict:
    """Restore the archive at `path`; returns its summary (row counts per table, audit head)."""
    _check_target()
    tables = {model._meta.db_table: model for model in backed_up_models()}
    loaded = _Loaded()
    try:
        with transaction.atomic():
            clear_tables(tables.values(), using="default")
            with _open(path, passphrase) as tar:
                for member in tar:
                    _take_member(tar, member, loaded, tables)
                _read_to_the_end(tar)
            _check_complete(loaded)
            reset_sequences(list(tables.values()), using="default")
            _check_chain(loaded)
    except (ArchiveError, RestoreError, tarfile.TarError, ValueError, RestoreRefused) as exc:
        if loaded.media is not None:
            shutil.rmtree(loaded.media, ignore_errors=True)
        raise exc if isinstance(exc, RestoreRefused) else RestoreRefused(str(exc)) from exc
    _install(loaded)
    return loaded.summary


def _check_complete(loaded: _Loaded) -> None:
    if loaded.summary is None:
        raise RestoreRefused("the backup is incomplete: its summary, written last, is missing")
    expected = loaded.summary.get("tables", {})
    for table in sorted(set(expected) | set(loaded.counts)):
        if expected.get(table) != loaded.counts.get(table):
            raise RestoreRefused(f"table {table}: the backup says {expected.get(table)} rows, "
                                 f"{loaded.counts.get(table)} were read")


def _check_chain(loaded: _Loaded) -> None:
    extra = loaded.audit_secrets if _local_audit_keys() else []
    try:
        chain_keys = audit_keys.keys_by_id(extra=extra)
    except audit_keys.AuditKeyError as exc:
        raise RestoreRefused(f"the audit keys: {exc}") from exc
    result = verify_chain(keys=chain_keys, checkpoints=loaded.checkpoints)
    if not result.ok:
        raise RestoreRefused(f"the restored audit chain does not verify at entry #{result.bad_seq}: {result.reason}"
                             " (a backup made without --include-keys needs the source installation's audit keys)")


def _merge_lines(path: Path, additions: list[str]) -> None:
    existing = path.read_text().split() if path.exists() else []
    missing = [line for line in additions if line not in existing]
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join([*existing, *missing]) + "\n")
        path.chmod(0o600)


def _install(loaded: _Loaded) -> None:
    """After the commit: the checkpoint file (an existing one is kept aside), laptop key files, media files."""
    path = checkpoint_path()
    if path.exists() and path.stat().st_size:
        path.rename(path.with_name(f"{path.name}.before-restore-{int(path.stat().st_mtime)}"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(checkpoint.line() for checkpoint in loaded.checkpoints))
    head = AuditEntry.objects.order_by("-seq").first()
    if head is not None:
        write_checkpoint(Checkpoint(seq=head.seq, mac=head.hash, key_id=head.key_id, kind="restore"), durable=True)
    if loaded.encryption_keys and _local_keys():
        _merge_lines(Path(settings.HAVEN_LOCAL_KEY_FILE), loaded.encryption_keys)
        keyring._cached_local_keys.cache_clear()
        keyring._fernet_for.cache_clear()
    if loaded.audit_secrets and _local_audit_keys():
        _merge_lines(Path(settings.HAVEN_LOCAL_AUDIT_KEY_FILE), loaded.audit_secrets)
        audit_keys._local_secrets.cache_clear()
    if loaded.media is not None:
        shutil.copytree(loaded.media, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
        shutil.rmtree(loaded.media, ignore_errors=True)
