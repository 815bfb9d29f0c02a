"""The keys the audit chain is MACed under.

They come from HAVEN_AUDIT_KEYS (comma-separated, newest first: the first one MACs new entries, all of them verify
old ones); on a laptop, when the variable is unset, one is generated once into var/audit-keys.txt, as the
encryption keys are. They are never written to the database: each entry stores only the key's id, a fingerprint
that reveals nothing of it.
"""
from __future__ import annotations

import hashlib
import secrets
import sys
from functools import lru_cache
from pathlib import Path

from haven.db.auditlog import ChainKey

MIN_KEY_LENGTH = 32


class AuditKeyError(RuntimeError):
    """An audit key is missing or malformed."""


def key_id(secret: str) -> str:
    return hashlib.sha256(b"haven-audit-key:" + secret.encode("utf-8")).hexdigest()[:16]


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def chain_key(secret: str) -> ChainKey:
    if len(secret) < MIN_KEY_LENGTH:
        raise AuditKeyError(f"an audit key must be at least {MIN_KEY_LENGTH} characters "
                            "(`haven audit generate-key` prints one)")
    return ChainKey(id=key_id(secret), secret=secret.encode("utf-8"))


@lru_cache(maxsize=4)
def _local_secrets(path: Path) -> tuple[str, ...]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(new_secret() + "\n")
        path.chmod(0o600)
        print(f"Haven: generated a local audit key in {path} (keep it; set HAVEN_AUDIT_KEYS in production).",
              file=sys.stderr)
    return tuple(line.strip() for line in path.read_text().splitlines() if line.strip())


def configured_secrets() -> list[str]:
    from django.conf import settings

    if settings.HAVEN_AUDIT_KEYS:
        return list(settings.HAVEN_AUDIT_KEYS)
    if settings.HAVEN_ALLOW_LOCAL_KEY:
        return list(_local_secrets(Path(settings.HAVEN_LOCAL_AUDIT_KEY_FILE)))
    raise AuditKeyError("HAVEN_AUDIT_KEYS is not set")


@lru_cache(maxsize=4)
def _chain_keys(secrets_: tuple[str, ...]) -> tuple[ChainKey, ...]:
    return tuple(chain_key(secret) for secret in secrets_)


def configured_keys() -> list[ChainKey]:
    return list(_chain_keys(tuple(configured_secrets())))


def primary_key() -> ChainKey:
    return configured_keys()[0]


def keys_by_id(extra: list[str] = ()) -> dict[str, ChainKey]:
    """Every configured key (and any `extra` secrets, e.g. from a backup being restored) by id."""
    keys = [chain_key(secret) for secret in extra]
    try:
        keys += configured_keys()
    except AuditKeyError:
        if not keys:
            raise
    return {key.id: key for key in keys}


def add_local_secret(secret: str) -> None:
    """Prepend a key to the local key file (laptop rotation)."""
    from django.conf import settings

    path = Path(settings.HAVEN_LOCAL_AUDIT_KEY_FILE)
    existing = list(_local_secrets(path))
    path.write_text("\n".join([secret, *existing]) + "\n")
    _local_secrets.cache_clear()
