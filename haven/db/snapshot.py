"""A consistent snapshot of the whole database, read while the server keeps writing.

PostgreSQL: one REPEATABLE READ, READ ONLY transaction: every table is read as of the same moment, and writers are
not blocked. SQLite: the online backup API (`sqlite3.Connection.backup`) copies the database, as of one moment,
into a temporary file that is then read through a connection of its own; a file copy of a database in use can
miss the last transactions (they sit in the write-ahead log) or catch one half-written."""
from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.db import connections, transaction

SNAPSHOT_ALIAS = "haven_backup_snapshot"


@contextlib.contextmanager
def consistent_snapshot(using: str = "default") -> Iterator[str]:
    """Yield the connection alias to read the snapshot through."""
    connection = connections[using]
    connection.ensure_connection()
    if connection.in_atomic_block:
        # Inside an outer transaction (a test's), that transaction is the snapshot: its isolation level can no
        # longer be set, and SQLite's backup API would wait forever for the write lock it holds itself.
        with transaction.atomic(using=using):
            yield using
    elif connection.vendor == "postgresql":
        with _repeatable_read(using):
            yield using
    elif connection.vendor == "sqlite":
        with _sqlite_copy(using) as alias:
            yield alias
    else:
        raise NotImplementedError(f"backups of {connection.vendor} databases")


@contextlib.contextmanager
def _repeatable_read(using: str) -> Iterator[None]:
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:  # the transaction's first statement
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


@contextlib.contextmanager
def _sqlite_copy(using: str) -> Iterator[str]:
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="haven-backup-") as directory:
        path = Path(directory) / "snapshot.sqlite3"
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        connections.settings[SNAPSHOT_ALIAS] = {**connection.settings_dict, "NAME": str(path)}
        try:
            yield SNAPSHOT_ALIAS
        finally:
            connections[SNAPSHOT_ALIAS].close()
            del connections[SNAPSHOT_ALIAS]
            del connections.settings[SNAPSHOT_ALIAS]


def applied_migrations(using: str) -> list[list[str]]:
    """The schema's version, as (app, migration) pairs: a restore needs the same."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]
