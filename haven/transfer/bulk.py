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
    qn = connection.ops.quote_name
    names = [table.model._meta.db_table for table in tables]
    with connection.cursor() as cursor:
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2", [names])
        keys = cursor.fetchall()
        indexes = []
        for table in tables:
            if table.rebuild_indexes:
                indexes += _secondary_indexes(cursor, table)
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
        # ALTER TABLE refuses to run on a table (this one or a referenced one) while checks deferred earlier in
        # the transaction are pending: run them now, and again before the keys are added back.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")  # regclass text: already quoted and qualified as needed
        restore_deferred_constraints(cursor)
    yield
    with connection.cursor() as cursor:
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
