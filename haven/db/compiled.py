"""Queries run straight on the database cursor: compiled once and cached (`CompiledQuery`), or fetched without
the ORM's per-row work (`fetch_rows`).

A query that runs on every request (the user's access profile) costs about as much to build and compile through
the ORM as to run (1 ms). `CompiledQuery` builds its queryset once for stand-in parameter values, compiles it
once per process and database alias, and runs the SQL with the real values put in the stand-ins' places. A
stand-in must be a value no caller passes and no other parameter of the query equals (a negative id, say)."""
from __future__ import annotations

from collections.abc import Callable, Hashable

from django.db import connection, connections
from django.db.models import QuerySet


class CompiledQuery:
    """`build(**stand_ins)` → a queryset; `rows(using, **values)` runs its SQL with each stand-in replaced by the
    value given under the same name."""

    def __init__(self, build: Callable[..., QuerySet], **stand_ins: Hashable) -> None:
        self._build = build
        self._stand_ins = stand_ins
        # Per alias: the SQL, its parameters, and the (position, name) of each stand-in among them.
        self._compiled: dict[str, tuple[str, tuple, tuple[tuple[int, str], ...]]] = {}

    def _compile(self, using: str) -> tuple[str, tuple, tuple[tuple[int, str], ...]]:
        compiled = self._compiled.get(using)
        if compiled is None:
            sql, params = self._build(**self._stand_ins).query.get_compiler(using=using).as_sql()
            slots = tuple((index, name) for index, param in enumerate(params)
                          for name, stand_in in self._stand_ins.items()
                          if type(param) is type(stand_in) and param == stand_in)
            compiled = self._compiled[using] = (sql, tuple(params), slots)
        return compiled

    def sql(self, using: str) -> tuple[str, tuple]:
        """(SQL, parameters with the stand-ins) for the database alias, compiled on first use."""
        sql, params, _ = self._compile(using)
        return sql, params

    def params(self, using: str, **values) -> list:
        """The compiled parameters with each stand-in replaced by the value given under its name."""
        _, params, slots = self._compile(using)
        params = list(params)
        for index, name in slots:
            params[index] = values[name]
        return params

    def rows(self, using: str, **values) -> list[tuple]:
        sql, _ = self.sql(using)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, self.params(using, **values))
            return cursor.fetchall()

    def clear(self) -> None:
        """Forget the compiled SQL (after a change of schema or of database settings, in tests)."""
        self._compiled.clear()


def fetch_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a values_list queryset, fetched at once. On PostgreSQL straight from the cursor (psycopg
    returns dates as dates: no converters needed); elsewhere through the ORM."""
    if connection.vendor != "postgresql":
        return list(queryset)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
