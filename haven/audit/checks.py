"""Production refuses to run without its keys: `haven check` (and `check --deploy`, runserver, migrate) report an
error, and the WSGI application refuses to start (`refuse_to_start`), instead of failing at the first encryption
or writing an audit log nobody can verify."""
from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from haven.audit.keys import AuditKeyError, chain_key
from haven.crypto.keyring import KeyringError, _fernet_for


def _encryption_errors() -> list[checks.Error]:
    if not settings.HAVEN_ENCRYPTION_KEYS:
        return [checks.Error("HAVEN_ENCRYPTION_KEYS is not set: encrypted fields can be neither written nor read",
                             hint="Set it to one or more Fernet keys, newest first (`haven keys generate`).",
                             id="haven.E001")]
    try:
        _fernet_for(tuple(settings.HAVEN_ENCRYPTION_KEYS))
    except KeyringError as exc:
        return [checks.Error(str(exc), hint="Each key is a Fernet key (`haven keys generate`).", id="haven.E002")]
    return []


def _audit_errors() -> list[checks.Error]:
    if not settings.HAVEN_AUDIT_KEYS:
        return [checks.Error("HAVEN_AUDIT_KEYS is not set: the audit log cannot be MACed or verified",
                             hint="Set it to one or more audit keys, newest first (`haven audit generate-key`).",
                             id="haven.E003")]
    try:
        for secret in settings.HAVEN_AUDIT_KEYS:
            chain_key(secret)
    except AuditKeyError as exc:
        return [checks.Error(str(exc), id="haven.E004")]
    return []


def production_keys(app_configs=None, **kwargs) -> list[checks.Error]:
    """In production (no local key files) both key sets must come from the environment and be well formed."""
    if settings.HAVEN_ALLOW_LOCAL_KEY:
        return []
    return _encryption_errors() + _audit_errors()


def refuse_to_start() -> None:
    errors = production_keys()
    if errors:
        raise ImproperlyConfigured("Haven refuses to start: " + "; ".join(error.msg for error in errors))
