"""Key rotation: re-encrypt every encrypted column under the primary key."""
from __future__ import annotations

from django.apps import apps
from django.db import connection, transaction

from haven.audit.models import Action
from haven.audit.services import record
from haven.crypto import keyring
from haven.crypto.fields import PREFIX, EncryptedBinaryField, EncryptedTextField, encrypted_fields


def _rotate_value(field, raw):
    if raw is None or raw == "":
        return raw
    if isinstance(field, EncryptedBinaryField):
        return keyring.rotate_token(bytes(raw))
    if isinstance(field, EncryptedTextField):
        return PREFIX + keyring.rotate_token(raw[len(PREFIX):].encode("ascii")).decode("ascii")
    return raw


def rotate_all(*, actor=None, batch_size: int = 1000) -> dict[str, int]:
    """Re-encrypt all values in one transaction: either every value moves to the
    primary key or nothing changes. Returns rows rewritten per model."""
    counts: dict[str, int] = {}
    qn = connection.ops.quote_name
    with transaction.atomic():
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            table, pk = model._meta.db_table, model._meta.pk.column
            columns = ", ".join(qn(f.column) for f in fields)
            assignments = ", ".join(f"{qn(f.column)} = %s" for f in fields)
            with connection.cursor() as reader:
                reader.execute(f"SELECT {qn(pk)}, {columns} FROM {qn(table)} ORDER BY {qn(pk)}")
                total = 0
                while rows := reader.fetchmany(batch_size):
                    updates = [[_rotate_value(f, raw) for f, raw in zip(fields, row[1:])] + [row[0]] for row in rows]
                    with connection.cursor() as writer:
                        writer.executemany(f"UPDATE {qn(table)} SET {assignments} WHERE {qn(pk)} = %s", updates)
                    total += len(rows)
            counts[model._meta.label] = total
        record(actor=actor, action=Action.KEY_ROTATION, summary=f"re-encrypted under key {keyring.primary_key_id()}",
               changes={"rows": counts})
    return counts
