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
from dataclasses import dataclass

from django.db import connection, models
from django.utils import timezone

from haven.crypto.fields import EncryptedBinaryField, EncryptedTextField

BATCH_SIZE = 2000


ENCRYPTED_FIELDS = (EncryptedTextField, EncryptedBinaryField)


@dataclass(frozen=True)
class RowLayout:
    """How plain tuples for some columns become table rows: `fields` are the named columns' fields, then the
    fields the caller left out (a field added to the model later), which get `defaults`, as the ORM would give
    them (auto_now fields: the current time)."""

    fields: list
    defaults: tuple
    encrypted: tuple[int, ...]

    def db_row(self, row: tuple) -> tuple:
        """The full row, defaults appended, encrypted columns encrypted by their field as the ORM would."""
        full = (*row, *self.defaults)
        if not self.encrypted:
            return full
        values = list(full)
        for index in self.encrypted:
            values[index] = self.fields[index].get_db_prep_save(values[index], connection)
        return tuple(values)


def row_layout(model: type[models.Model], columns: Sequence[str]) -> RowLayout:
    meta = model._meta
    fields = [next(f for f in meta.concrete_fields if f.attname == column) for column in columns]
    given = set(columns)
    missing = [f for f in meta.concrete_fields if f.attname not in given and f is not meta.pk]
    now = timezone.now()
    defaults = tuple(now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                     else f.get_default() for f in missing)
    fields += missing
    encrypted = tuple(index for index, field in enumerate(fields) if isinstance(field, ENCRYPTED_FIELDS))
    return RowLayout(fields=fields, defaults=defaults, encrypted=encrypted)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys taken from the table's sequence (PostgreSQL), for rows inserted with explicit ids."""
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, meta.pk.column, count])
        return [pk for (pk,) in cursor.fetchall()]


def copy_statement(model: type[models.Model], fields: Sequence, *, with_ids: bool) -> str:
    """COPY ... FROM STDIN for rows of `fields`, preceded by the primary key when `with_ids`."""
    meta = model._meta
    names = ([meta.pk.column] if with_ids else []) + [field.column for field in fields]
    quote = connection.ops.quote_name
    return f"COPY {quote(meta.db_table)} ({', '.join(quote(name) for name in names)}) FROM STDIN"


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple], *,
                return_ids: bool = False, batch_size: int = BATCH_SIZE) -> list[int]:
    """Insert rows (tuples in the order of `columns`, which are field attnames such as "person_id")."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = model.objects.bulk_create([model(**dict(zip(columns, row))) for row in rows], batch_size=batch_size)
        return [obj.pk for obj in objs] if return_ids else []
    layout = row_layout(model, columns)
    ids = reserve_ids(model, len(rows)) if return_ids else []
    with connection.cursor() as cursor, cursor.cursor.copy(
            copy_statement(model, layout.fields, with_ids=return_ids)) as copy:
        for position, row in enumerate(rows):
            row = layout.db_row(row)
            copy.write_row((ids[position], *row) if return_ids else row)
    return ids
