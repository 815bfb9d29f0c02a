"""Writing backed-up rows into a database (haven.db.tables gives their form): inside the caller's transaction,
so that a failure anywhere leaves the database as it was.

Rows keep their primary keys; foreign keys are checked at commit (Django creates them deferrable on PostgreSQL
and SQLite), so tables load in any order; PostgreSQL's sequences are then moved past the restored keys."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.core.management.color import no_style
from django.db import connections, models

from haven.db.tables import columns, decode, is_encrypted

BATCH = 500


class RestoreError(Exception):
    """The rows cannot be restored; nothing was written."""


def clear_tables(table_models: Iterable[type[models.Model]], *, using: str) -> None:
    """Empty the tables a freshly migrated database seeds (content types, permissions, rules, the audit head)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for model in table_models:
            if model._base_manager.using(using).exists():
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def read_table(member: IO[bytes]) -> tuple[dict, Iterator[list[Any]]]:
    """A table member's header ({"table", "columns"}) and its rows."""
    lines = (line for line in member if line.strip())
    try:
        header = json.loads(next(lines))
    except (StopIteration, ValueError) as exc:
        raise RestoreError("a table in the backup has no header") from exc
    return header, (json.loads(line) for line in lines)


def insert_rows(model: type[models.Model], header: dict, rows: Iterable[list[Any]], *, using: str,
                check_encrypted: Callable[[models.Field, Any, int], None]) -> int:
    """Insert the rows with their keys, as the ORM would store them; `check_encrypted(field, raw, row_number)` sees
    each encrypted value first (the restore proves it can decrypt them). Returns the count."""
    connection = connections[using]
    fields = columns(model)
    if header.get("columns") != [field.column for field in fields]:
        raise RestoreError(f"table {model._meta.db_table} has other columns in the backup than in this database: "
                           "restore with the same version of Haven")
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    count, batch = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            count += 1
            batch.append(_prepared(fields, row, connection, check_encrypted, count))
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    return count


def _prepared(fields, row, connection, check_encrypted, number: int) -> list[Any]:
    values = []
    for field, value in zip(fields, row, strict=True):
        value = decode(field, value)
        if is_encrypted(field):
            check_encrypted(field, value, number)
            values.append(value)
        else:
            values.append(field.get_db_prep_save(value, connection))
    return values


def reset_sequences(table_models: list[type[models.Model]], *, using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), table_models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
