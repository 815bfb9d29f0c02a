"""The inserts of a large import, overlapped with the work that prepares the next table (`BulkWriter`).

On PostgreSQL each insert is a COPY run by a background thread on the importer's own connection, hence in its
transaction; on SQLite, batched executemany (haven.db.bulk.sqlite_insert); elsewhere, bulk_create in chunks.
Models are given as arguments: this module imports no domain app."""
from __future__ import annotations

import queue
import threading
from collections.abc import Sequence

from django.db import connection, models

from haven.db.bulk import copy_statement, insert_rows, reserve_ids, row_layout, sqlite_insert

WRITE_CHUNK = 100_000  # rows per insert call: bounds the model instances bulk_create holds at once


def insert_chunked(model: type[models.Model], columns: Sequence[str], rows: list[tuple], *,
                   return_ids: bool = False) -> list[int]:
    """haven.db.bulk.insert_rows in chunks of WRITE_CHUNK rows."""
    ids: list[int] = []
    for start in range(0, len(rows), WRITE_CHUNK):
        ids += insert_rows(model, columns, rows[start:start + WRITE_CHUNK], return_ids=return_ids)
    return ids


class BulkWriter:
    """The inserts of a bulk import, overlapped with the work that prepares the next table on PostgreSQL.

    On PostgreSQL each insert is a COPY run by a background thread on the import's own connection, hence in its
    transaction (a psycopg connection may be shared by threads: each statement holds its lock). Ids are taken
    from the table's sequence first, as haven.db.bulk.insert_rows does, so the caller can build the rows
    of the next table while PostgreSQL stores and indexes these. Constraints are checked IMMEDIATE during the
    import, so that the foreign-key checks of each COPY run at its end, in the background too, rather than all
    at COMMIT. `drain()` waits for the queued inserts: call it before reading rows back. Elsewhere each insert
    runs at once (sqlite_insert on SQLite, insert_chunked otherwise)."""

    def __init__(self) -> None:
        self.background = connection.vendor == "postgresql"
        self.error: BaseException | None = None
        self.cancelled = False
        if self.background:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.raw = connection.connection
            self.jobs: queue.Queue = queue.Queue()
            self.thread = threading.Thread(target=self._run, name="bulk-writer-copy", daemon=True)
            self.thread.start()

    def insert(self, model: type[models.Model], columns: Sequence[str], rows: list[tuple], *,
               return_ids: bool = False) -> list[int]:
        self.check()
        if not rows:
            return []
        if connection.vendor not in ("postgresql", "sqlite"):
            return insert_chunked(model, columns, rows, return_ids=return_ids)
        layout = row_layout(model, columns)
        defaults = layout.defaults
        if layout.encrypted:  # rows completed (and encrypted) here; otherwise the defaults are appended on writing
            rows, defaults = [layout.db_row(row) for row in rows], ()
        if not self.background:
            return sqlite_insert(model, layout.fields, rows, defaults, return_ids=return_ids)
        ids = reserve_ids(model, len(rows)) if return_ids else []  # waits for the COPY under way, if any
        sql = copy_statement(model, layout.fields, with_ids=return_ids)
        self.jobs.put((sql, rows, ids, defaults))
        return ids

    def drain(self) -> None:
        """Wait until every queued insert is in the database."""
        if self.background:
            self.jobs.join()
        self.check()

    def close(self) -> None:
        """Drain, stop the thread and check the remaining constraints as deferred again."""
        if not self.background:
            return
        self.drain()
        self._stop()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def abandon(self) -> None:
        """After an error in the importing thread: skip the queued inserts and stop the thread (the caller's
        transaction is rolled back)."""
        if self.background and self.thread.is_alive():
            self.cancelled = True
            self._stop()

    def _stop(self) -> None:
        self.jobs.put(None)
        self.thread.join()

    def check(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while True:
            job = self.jobs.get()
            try:
                if job is None:
                    return
                if self.error is None and not self.cancelled:
                    self._copy(*job)
            except BaseException as exc:  # re-raised in the importing thread; the transaction is rolled back
                self.error = exc
            finally:
                self.jobs.task_done()

    def _copy(self, sql: str, rows: list[tuple], ids: list[int], defaults: tuple) -> None:
        with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
            write = copy.write_row
            if ids:
                for pk, row in zip(ids, rows):
                    write((pk, *row, *defaults))
            else:
                for row in rows:
                    write((*row, *defaults))
