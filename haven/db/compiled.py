"""Queries run straight on the database cursor: compiled once and cached (`CompiledQuery`), or fetched without
the ORM's per-row work (`fetch_rows`).

A query that runs on every request (the user's access profile) costs about as much to build and compile through
the ORM as to run (1 ms). `CompiledQuery` builds its queryset once for stand-in parameter values, compiles it
once per process and database alias, and runs the SQL with the real values put in the stand-ins' places. A
stand-in must be a value no caller passes and no other parameter of the query equals (a negative id, say)."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping

from django.core.exceptions import EmptyResultSet
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


class CompiledShapes:
    """Queries whose SQL takes one of a few forms (their shape: how many organizations a user is staff of, which
    filters are set, the LIMIT) and whose parameters vary (ids, dates): each form is built and compiled once per
    process and database alias, for stand-in values, and run with the real values in the stand-ins' places.

    The "my work" page runs five such queries; building and compiling them through the ORM cost more CPU than
    running them (bench/casework_bench.py). The caller names the shape (`key`), builds the queryset for the
    stand-ins on the first call, and gives the real value of each stand-in by name. Stand-ins must be values no
    caller passes and no other parameter equals; every one must appear among the compiled parameters, and a
    parameter in `reserved` (the caller's range of stand-ins) that is not one of them is refused: a stand-in the
    shape left out would otherwise be run as a value. Names in `optional` may be left out of the SQL (a user's
    teams, in a query that reads only their organizations)."""

    def __init__(self, reserved: Callable[[object], bool] = lambda value: False) -> None:
        self._reserved = reserved
        # Per (alias, key): the SQL, its parameters and the (position, name) of each stand-in among them; None
        # when the form matches nothing whatever the values (Django's EmptyResultSet).
        self._compiled: dict[tuple[str, Hashable], tuple[str, tuple, tuple[tuple[int, str], ...]] | None] = {}

    def _compile(self, using: str, key: Hashable, build: Callable[[], QuerySet],
                 stand_ins: Mapping[str, Hashable], optional: frozenset[str]):
        if len(set(map(repr, stand_ins.values()))) != len(stand_ins):
            raise ValueError(f"stand-ins of {key!r} are not distinct")
        try:
            sql, params = build().query.get_compiler(using=using).as_sql()
        except EmptyResultSet:
            return None
        slots = tuple((index, name) for index, param in enumerate(params)
                      for name, stand_in in stand_ins.items() if type(param) is type(stand_in) and param == stand_in)
        placed = {index for index, _ in slots}
        missing = set(stand_ins) - optional - {name for _, name in slots}
        stray = [param for index, param in enumerate(params) if index not in placed and self._reserved(param)]
        if missing or stray:
            raise ValueError(f"the SQL of {key!r} does not take the stand-ins as parameters: {missing or stray}")
        return sql, tuple(params), slots

    def dicts(self, using: str, key: Hashable, build: Callable[[], QuerySet], stand_ins: Mapping[str, Hashable],
              values: Mapping[str, object], *, optional: frozenset[str] = frozenset()) -> list[dict]:
        """The rows as {column: value}, as a values() queryset gives them on PostgreSQL (psycopg returns dates,
        times and decimals as Python's: no converters); `values` has a value for each stand-in's name."""
        cache_key = (using, key)
        if cache_key not in self._compiled:
            self._compiled[cache_key] = self._compile(using, key, build, stand_ins, optional)
        compiled = self._compiled[cache_key]
        if compiled is None:
            return []
        sql, params, slots = compiled
        params = list(params)
        for index, name in slots:
            params[index] = values[name]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def clear(self) -> None:
        self._compiled.clear()
