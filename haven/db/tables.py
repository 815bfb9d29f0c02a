"""Every table's rows as portable JSON, and back: what a backup holds and a restore writes (haven.db.snapshot,
haven.db.restore).

A row is a JSON array of its concrete columns in model order. Values are what the ORM reads, written so that the
field's own `to_python` reads them back on any database (timestamps in ISO 8601 with microseconds and offset,
decimals as text, bytes as base64), except encrypted columns: they are kept as stored, ciphertext, so a backup
holds no personal data in clear beyond its own encryption and needs the encryption keys to be of any use."""
from __future__ import annotations

import base64
import datetime as dt
import decimal
import uuid
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import ExpressionWrapper, F
from django.utils.duration import duration_string

from haven.crypto.fields import EncryptedBinaryField, EncryptedTextField


def backed_up_models() -> list[type[models.Model]]:
    """Every managed table once (many-to-many tables included), in a stable order."""
    seen, result = set(), []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        result.append(model)
    return sorted(result, key=lambda model: model._meta.db_table)


def columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def is_encrypted(field: models.Field) -> bool:
    return isinstance(field, (EncryptedTextField, EncryptedBinaryField))


def _selected(field: models.Field):
    """The column as stored: encrypted ones read through a plain field of their kind, so nothing decrypts them."""
    if isinstance(field, EncryptedBinaryField):
        return ExpressionWrapper(F(field.attname), output_field=models.BinaryField())
    if isinstance(field, EncryptedTextField):
        return ExpressionWrapper(F(field.attname), output_field=models.TextField())
    return field.attname


def encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    if isinstance(value, (bytes, memoryview, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def read_rows(model: type[models.Model], *, using: str, batch: int = 2000) -> Iterator[list[Any]]:
    """The table's rows in primary-key order, each a list of encoded column values."""
    fields = columns(model)
    queryset = model._base_manager.using(using).order_by("pk").values_list(*[_selected(f) for f in fields])
    for row in queryset.iterator(chunk_size=batch):
        yield [encode(value) for value in row]


def decode(field: models.Field, value: Any) -> Any:
    """A column value as the database takes it, from its backed-up form."""
    if value is None:
        return None
    if isinstance(field, EncryptedBinaryField):
        return base64.b64decode(value)
    if isinstance(field, EncryptedTextField):
        return value
    if isinstance(field, models.JSONField):
        return value
    return field.to_python(value)
