"""Fast inserts for large imports.

`insert_rows(model, columns, rows)` inserts plain tuples of Python values. On
PostgreSQL they go in with COPY: primary keys are taken from the table's
sequence first when the caller needs them (children point at their parents,
the audit log names every household), encrypted columns are encrypted by
their model field exactly as the ORM would, and rows are streamed. Django's
bulk_create on PostgreSQL binds every column as a text array quoted in
Python, which costs several times more on a 100,000-row import. Other
databases build model instances and use bulk_create.

Callers should pass every column (auto_now dates included): no model save()
or pre_save() runs on the PostgreSQL path; a column left out gets its
field's default (auto_now fields: the current time).
"""
from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone

from haven.crypto.fields import EncryptedBinaryField, EncryptedTextField

BATCH_SIZE = 2000


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple], *,
                return_ids: bool = False, batch_size: int = BATCH_SIZE) -> list[int]:
    """Insert rows (tuples in the order of `columns`, which are field attnames such as "person_id")."""
    if not rows:
        return []
    meta = model._meta
    fields = [next(f for f in meta.concrete_fields if f.attname == column) for column in columns]
    if connection.vendor != "postgresql":
        objs = model.objects.bulk_create([model(**dict(zip(columns, row))) for row in rows], batch_size=batch_size)
        return [obj.pk for obj in objs] if return_ids else []
    # Columns the caller did not name (a field added to the model later) get the field's default, as the ORM
    # would give them.
    given = set(columns)
    missing = [f for f in meta.concrete_fields if f.attname not in given and f is not meta.pk]
    defaults = tuple(timezone.now() if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                     else f.get_default() for f in missing)
    if missing:
        fields, rows = fields + missing, [(*row, *defaults) for row in rows]
    encrypted = [index for index, field in enumerate(fields)
                 if isinstance(field, (EncryptedTextField, EncryptedBinaryField))]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if return_ids:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, meta.pk.column, len(rows)])
            ids = [pk for (pk,) in cursor.fetchall()]
        names = ([meta.pk.column] if return_ids else []) + [field.column for field in fields]
        sql = (f"COPY {connection.ops.quote_name(meta.db_table)} "
               f"({', '.join(connection.ops.quote_name(name) for name in names)}) FROM STDIN")
        with cursor.cursor.copy(sql) as copy:
            for position, row in enumerate(rows):
                if encrypted:
                    row = list(row)
                    for index in encrypted:
                        row[index] = fields[index].get_db_prep_save(row[index], connection)
                copy.write_row((ids[position], *row) if return_ids else row)
    return ids
