"""Bulk writes: COPY on PostgreSQL (text or binary), batched executemany on SQLite, `UPDATE ... FROM unnest`,
a background COPY writer, and bulk loads that drop and restore foreign keys and secondary indexes.

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

Models are given as arguments: this module imports no domain app.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, connection, models
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


SQLITE_BATCH = 20_000  # rows per executemany


def sqlite_insert(model: type[models.Model], fields: Sequence, rows: list[tuple], defaults: tuple = (), *,
                  return_ids: bool = False) -> list[int]:
    """Insert plain rows (values for `fields`, then `defaults`) into SQLite with executemany, without model
    instances. Dates and datetimes are adapted as the ORM stores them (once per distinct value); other values
    must be ready for the database (JSON as text, encrypted columns encrypted: RowLayout.db_row). With
    `return_ids`, the rows get explicit ids, returned: call it inside a transaction, which holds SQLite's write
    lock (Haven's begin IMMEDIATE), so the next ids after both the table's largest id and its AUTOINCREMENT
    counter are free; SQLite moves the counter past explicit ids itself."""
    meta = model._meta
    quote = connection.ops.quote_name
    ops = connection.ops
    adapters = {}
    for index, f in enumerate(fields):
        internal = f.get_internal_type()
        if internal == "DateTimeField":
            adapters[index] = ops.adapt_datetimefield_value
        elif internal == "DateField":
            adapters[index] = ops.adapt_datefield_value
    caches: dict[int, dict] = {index: {} for index in adapters}

    def adapted(row: tuple) -> tuple:
        values = [*row, *defaults]
        for index, adapt in adapters.items():
            value = values[index]
            if value is not None:
                cache = caches[index]
                hit = cache.get(value)
                if hit is None:
                    hit = cache[value] = adapt(value)
                values[index] = hit
        return tuple(values)

    names = [f.column for f in fields]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if return_ids:
            cursor.execute(f"SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)}")
            top = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [meta.db_table])
            counter = cursor.fetchone()
            start = max(top, counter[0] if counter else 0) + 1
            ids = list(range(start, start + len(rows)))
            names.insert(0, meta.pk.column)
        sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(n) for n in names)}) "
               f"VALUES ({', '.join(['?'] * len(names))})")
        raw = cursor.cursor  # the sqlite3 cursor: executemany without Django's per-statement wrapping
        for start_at in range(0, len(rows), SQLITE_BATCH):
            batch = rows[start_at:start_at + SQLITE_BATCH]
            if return_ids:
                raw.executemany(sql, [(pk, *adapted(row)) for pk, row in zip(ids[start_at:], batch)])
            else:
                raw.executemany(sql, [adapted(row) for row in batch])
    return ids


def column_name(model: type[models.Model], attname: str) -> str:
    """The quoted table column of a field given by attname ("claim_id", "id", "due_on")."""
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    return connection.ops.quote_name(field.column)


class Copier:
    """Takes rows like a list, but streams them into an open COPY: PostgreSQL inserts them while the caller
    computes the next ones. `len()` is the number of rows written."""

    def __init__(self, copy) -> None:
        self._write = copy.write_row
        self.count = 0

    def append(self, row: tuple) -> None:
        self._write(row)
        self.count += 1

    def __len__(self) -> int:
        return self.count


@contextmanager
def copy_in(model: type[models.Model], columns: Sequence[str], *, binary_types: Sequence[str]) -> Iterator[Copier]:
    """PostgreSQL: a binary COPY into the model's table for rows of `columns` (attnames) of the given PostgreSQL
    types ("int8", "date", ...). Binary rows spare the server parsing text dates and numbers."""
    names = ", ".join(column_name(model, name) for name in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(list(binary_types))
        yield Copier(copy)


def insert_copied(model: type[models.Model], columns: Sequence[str], rows: list[tuple], *,
                  binary_types: Sequence[str], batch_size: int = BATCH_SIZE) -> None:
    """Insert rows of `columns`: binary COPY on PostgreSQL (copy_in), bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        with copy_in(model, columns, binary_types=binary_types) as copier:
            for row in rows:
                copier.append(row)
        return
    model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows],
                              batch_size=batch_size)


UPDATE_BATCH = 10_000


def update_from_unnest(model: type[models.Model], columns: Sequence[str], rows: list[tuple], *,
                       types: Sequence[str], batch: int = UPDATE_BATCH, fallback_batch: int = 500) -> None:
    """Rewrite rows in place, given as (pk, *values of `columns`). PostgreSQL: one `UPDATE ... FROM
    unnest(arrays)` per `batch` rows, `types` being the SQL types of the pk then of each column ("bigint",
    "date", ...); ids are kept, and a foreign key that did not change is not checked again. Elsewhere:
    bulk_update."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update([model(pk=row[0], **dict(zip(columns, row[1:], strict=True))) for row in rows],
                                  list(columns), batch_size=fallback_batch)
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = [f"v{index}" for index in range(len(types))]
    sets = ", ".join(f"{column_name(model, name)} = v.{alias}"
                     for name, alias in zip(columns, names[1:], strict=True))
    sql = (f"UPDATE {table} AS d SET {sets} FROM unnest({', '.join(f'%s::{t}[]' for t in types)}) "
           f"AS v({', '.join(names)}) WHERE d.{column_name(model, model._meta.pk.attname)} = v.v0")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.execute(sql, [list(column) for column in zip(*rows[start:start + batch], strict=True)])


LOOKUP_CHUNK = 10_000  # values per IN list where no array parameter exists (SQLite allows 32,766 per statement)


def pks_by_column(model: type[models.Model], column: str, values: Sequence, *,
                  where: dict[str, object] | None = None) -> dict:
    """{value: pk} of the model's rows whose `column` holds one of `values` (and whose columns equal `where`).

    The values go as one parameter: an array on PostgreSQL (`= ANY(%s)`), a JSON array read by json_each on
    SQLite. An IN list of a million values costs seconds to build, bind and parse (and SQLite refuses more
    than 32,766 parameters)."""
    if not values:
        return {}
    where = where or {}
    quote = connection.ops.quote_name
    meta = model._meta
    head = f"SELECT {quote(column)}, {quote(meta.pk.column)} FROM {quote(meta.db_table)} WHERE "
    if connection.vendor == "postgresql":
        sql, params = head + f"{quote(column)} = ANY(%s)", [list(values)]
    elif connection.vendor == "sqlite":
        sql, params = head + f"{quote(column)} IN (SELECT value FROM json_each(%s))", [json.dumps(list(values))]
    else:
        found: dict = {}
        rows = model.objects.filter(**where)
        for start in range(0, len(values), LOOKUP_CHUNK):
            found.update(rows.filter(**{f"{column}__in": values[start:start + LOOKUP_CHUNK]})
                         .values_list(column, "pk"))
        return found
    for name, value in where.items():
        sql += f" AND {quote(name)} = %s"
        params.append(value)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


class LocksBusy(Exception):
    """A bulk load could not lock its tables in time (others are using them): the caller goes row by row."""


@dataclass(frozen=True)
class BulkTable:
    """A table written by a bulk load: its foreign keys are dropped and added back; with `rebuild_indexes` its
    secondary indexes are too, except those whose first column is in `keep_indexes_on` (columns the load
    itself reads rows back by while it writes)."""

    model: type[models.Model]
    rebuild_indexes: bool = False
    keep_indexes_on: tuple[str, ...] = ()


def worth_rebuilding(model: type[models.Model], new_rows: int) -> bool:
    """Whether `new_rows` are at least as many as the table holds: then building an index once, sorted, costs
    less than inserting every new row into it. The size is an estimate that costs nothing on a large table:
    PostgreSQL's pg_class.reltuples (-1 or 0 for a table never analyzed or empty), the largest id elsewhere."""
    meta = model._meta
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [meta.db_table])
        else:
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)}")
        present = cursor.fetchone()[0] or 0
    return new_rows >= max(present, 0)


def _kibibytes(size: str) -> int:
    """'256MB' (PostgreSQL's memory units: kB, MB, GB) in KiB."""
    match = re.fullmatch(r"\s*(\d+)\s*(kB|MB|GB)?\s*", size)
    if not match:
        raise ValueError(f"not a memory size: {size!r} (write e.g. 256MB)")
    return int(match[1]) * {"kB": 1, "MB": 1024, "GB": 1024 * 1024, None: 1}[match[2]]


@contextmanager
def bulk_load(tables: Iterable[BulkTable], *, lock_timeout: str = "2s") -> Iterator[None]:
    """PostgreSQL's advice for bulk loads ("Populating a Database"): drop the tables' foreign keys (and, where
    asked, their secondary indexes), write, and add them back with their exact definitions. Adding a key
    validates every row in one join instead of one lookup per inserted row and key; an index is built in one
    sorted pass instead of one insertion per row. Primary keys and unique constraints stay.

    Use it inside the caller's transaction: if a row is invalid, adding its key back fails and everything rolls
    back. Dropping a key locks both its tables (ACCESS EXCLUSIVE): until the commit even reads of them wait.
    The locks are taken first, in one statement and a fixed order, waiting at most `lock_timeout`; if they
    cannot be had, LocksBusy is raised before anything is changed. The tables' planner statistics are
    refreshed (ANALYZE) at the end. Index builds get settings.HAVEN_BULK_MAINTENANCE_WORK_MEM.

    SQLite: the secondary indexes are rebuilt in the same way and the connection's page cache is raised to
    HAVEN_BULK_MAINTENANCE_WORK_MEM meanwhile (inserting into large indexes with the default 2 MB cache reads
    and writes the same pages over and over); foreign keys stay (SQLite checks a key by a primary-key lookup,
    and cannot drop one without rebuilding the table). No lock is needed: the import's transaction already
    holds SQLite's write lock, and readers keep reading the last committed state."""
    tables = list(tables)
    if connection.vendor == "sqlite":
        with _sqlite_bulk_load(tables):
            yield
        return
    names = [table.model._meta.db_table for table in tables]
    with connection.cursor() as cursor:
        keys, indexes = _drop_keys_and_indexes(cursor, tables, names, lock_timeout)
    yield
    with connection.cursor() as cursor:
        _restore_keys_and_indexes(cursor, keys, indexes, names)


def _drop_keys_and_indexes(cursor, tables: list[BulkTable], names: list[str], lock_timeout: str
                           ) -> tuple[list[tuple], list[tuple[str, str]]]:
    """Lock the tables and those their keys point at, then drop their foreign keys and the indexes to rebuild;
    returns both, with the definitions to add them back."""
    qn = connection.ops.quote_name
    cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2", [names])
    keys = cursor.fetchall()
    indexes = []
    for table in tables:
        if table.rebuild_indexes:
            indexes += _secondary_indexes(cursor, table)
    _lock_tables(cursor, names, lock_timeout)
    # ALTER TABLE refuses to run on a table (this one or a referenced one) while checks deferred earlier in
    # the transaction are pending: run them now, and again before the keys are added back.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table, name, _ in keys:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(name)}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")  # regclass text: already quoted and qualified as needed
    restore_deferred_constraints(cursor)
    return keys, indexes


def _lock_tables(cursor, names: list[str], lock_timeout: str) -> None:
    """ACCESS EXCLUSIVE locks on the tables and the tables their keys reference, in one statement and a fixed
    order, waiting at most `lock_timeout` (LocksBusy otherwise)."""
    qn = connection.ops.quote_name
    cursor.execute("SELECT DISTINCT confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' "
                   "AND conrelid = ANY(%s::regclass[])", [names])
    locked = sorted({name for (name,) in cursor.fetchall()} | {qn(name) for name in names})
    cursor.execute(f"SET LOCAL lock_timeout = '{lock_timeout}'")
    try:
        cursor.execute(f"LOCK TABLE {', '.join(locked)} IN ACCESS EXCLUSIVE MODE")
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == "55P03":  # lock_not_available
            raise LocksBusy(f"{', '.join(locked)} busy for {lock_timeout}") from exc
        raise
    cursor.execute("SET LOCAL lock_timeout TO DEFAULT")


def _restore_keys_and_indexes(cursor, keys: list[tuple], indexes: list[tuple[str, str]], names: list[str]) -> None:
    """Build the dropped indexes, add the dropped keys back (each validated in one join) and ANALYZE the tables."""
    qn = connection.ops.quote_name
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    if indexes:
        memory = getattr(settings, "HAVEN_BULK_MAINTENANCE_WORK_MEM", "")
        if memory:
            cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [memory])
    for _, definition in indexes:
        cursor.execute(definition)
    for table, name, definition in keys:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {qn(name)} {definition}")
    restore_deferred_constraints(cursor)
    for name in names:
        cursor.execute(f"ANALYZE {qn(name)}")


def _secondary_indexes(cursor, table: BulkTable) -> list[tuple[str, str]]:
    """(name, definition) of the table's indexes that are neither unique nor a constraint's, nor led by one of
    table.keep_indexes_on."""
    cursor.execute("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), a.attname FROM pg_index i "
                   "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
                   "WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary "
                   "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                   "ORDER BY 1", [table.model._meta.db_table])
    return [(name, definition) for name, definition, first in cursor.fetchall()
            if first not in table.keep_indexes_on]


def restore_deferred_constraints(cursor) -> None:
    """Back to each constraint's INITIALLY DEFERRED / IMMEDIATE default (Django's foreign keys are deferred)."""
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    cursor.execute("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.conname) FROM pg_constraint c "
                   "JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.condeferrable AND NOT c.condeferred "
                   "AND n.nspname = ANY(current_schemas(false))")
    immediate = [name for (name,) in cursor.fetchall()]
    if immediate:
        cursor.execute(f"SET CONSTRAINTS {', '.join(immediate)} IMMEDIATE")


@contextmanager
def _sqlite_bulk_load(tables: list[BulkTable]) -> Iterator[None]:
    quote = connection.ops.quote_name
    indexes = []
    with connection.cursor() as cursor:
        for table in tables:
            if not table.rebuild_indexes:
                continue
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                           "AND sql IS NOT NULL ORDER BY name", [table.model._meta.db_table])
            for name, sql in cursor.fetchall():
                if sql.lstrip().upper().startswith("CREATE UNIQUE"):
                    continue
                cursor.execute(f"PRAGMA index_info({quote(name)})")
                first = next((column for seqno, _, column in cursor.fetchall() if seqno == 0), None)
                if first not in table.keep_indexes_on:
                    indexes.append((name, sql))
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        memory = getattr(settings, "HAVEN_BULK_MAINTENANCE_WORK_MEM", "")
        if memory:
            cursor.execute(f"PRAGMA cache_size = -{_kibibytes(memory)}")  # negative: a size in KiB
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    try:
        yield
        with connection.cursor() as cursor:
            for _, sql in indexes:
                cursor.execute(sql)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
