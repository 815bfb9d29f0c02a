"""Keys for encryption at rest.

Keys come from HAVEN_ENCRYPTION_KEYS (comma-separated Fernet keys, the first
one encrypts, all of them decrypt). On a laptop, when the variable is unset, a
key is generated once into var/encryption-keys.txt; production refuses to start
without the variable.
"""
from __future__ import annotations

import secrets
import sys
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class KeyringError(RuntimeError):
    """A key is missing, malformed or does not match a stored value."""


def local_secret(path: Path) -> str:
    """Return a random secret kept in `path`, creating it on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


@lru_cache(maxsize=4)
def _cached_local_keys(path: Path) -> tuple[str, ...]:
    return tuple(_local_keys(path))


def _local_keys(path: Path) -> list[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(Fernet.generate_key().decode() + "\n")
        path.chmod(0o600)
        print(f"Haven: generated a local encryption key in {path} (keep it; set "
              "HAVEN_ENCRYPTION_KEYS in production).", file=sys.stderr)
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


def configured_keys() -> list[str]:
    from django.conf import settings

    keys = list(settings.HAVEN_ENCRYPTION_KEYS)
    if keys:
        return keys
    if settings.HAVEN_ALLOW_LOCAL_KEY:
        return list(_cached_local_keys(Path(settings.HAVEN_LOCAL_KEY_FILE)))
    raise KeyringError("HAVEN_ENCRYPTION_KEYS is not set")


@lru_cache(maxsize=1)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise KeyringError(f"an encryption key is malformed: {exc}") from exc


def fernet() -> MultiFernet:
    return _fernet_for(tuple(configured_keys()))


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken as exc:
        raise KeyringError("cannot decrypt a value: no configured key matches") from exc


def rotate_token(token: bytes) -> bytes:
    """Re-encrypt a token under the primary key (MultiFernet.rotate)."""
    try:
        return fernet().rotate(token)
    except InvalidToken as exc:
        raise KeyringError("cannot rotate a value: no configured key matches") from exc


def primary_key_id() -> str:
    """A short fingerprint of the primary key, safe to print and log."""
    import hashlib

    return hashlib.sha256(configured_keys()[0].encode()).hexdigest()[:12]


def new_key() -> str:
    return Fernet.generate_key().decode()


def add_local_key(key: str) -> None:
    """Prepend a key to the local key file (laptop rotation)."""
    from django.conf import settings

    path = Path(settings.HAVEN_LOCAL_KEY_FILE)
    existing = _local_keys(path)
    path.write_text("\n".join([key, *existing]) + "\n")
    _cached_local_keys.cache_clear()
    _fernet_for.cache_clear()


