"""SQL the statistics need that the ORM does not write: the period of a date as an integer, days between two
dates, PostgreSQL's percentile aggregate, and SQLite's grouping of a large scope along a covering index."""
from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Count, Func, IntegerField, QuerySet


class PeriodKey(Func):
    """The period of a date as an integer computed by the database: 2024 (year) or 20243 (2024, third quarter).
    Integers group faster than text; period_label() turns them into "2024" / "2024-Q3"."""

    output_field = IntegerField()

    def __init__(self, expression, by: str):
        if by not in ("year", "quarter"):
            raise ValueError(by)
        self.by = by
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra):
        inner, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "sqlite":
            return sqlite_period_sql(inner, self.by), params * (1 if self.by == "year" else 2)
        if self.by == "year":
            return f"CAST(EXTRACT(YEAR FROM {inner}) AS INTEGER)", params
        return f"CAST(EXTRACT(YEAR FROM {inner}) * 10 + EXTRACT(QUARTER FROM {inner}) AS INTEGER)", params * 2


def sqlite_period_sql(column: str, by: str) -> str:
    """PeriodKey in SQLite, where dates are stored as ISO text: slicing is native and fast."""
    year = f"CAST(substr({column}, 1, 4) AS INTEGER)"
    if by == "year":
        return year
    return f"({year} * 10 + (CAST(substr({column}, 6, 2) AS INTEGER) + 2) / 3)"


def period_label(value: int, by: str) -> str:
    return str(value) if by == "year" else f"{value // 10}-Q{value % 10}"


class DaysBetween(Func):
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        start, p1 = compiler.compile(self.source_expressions[0])
        end, p2 = compiler.compile(self.source_expressions[1])
        if connection.vendor == "sqlite":
            return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)", p2 + p1
        return f"({end} - {start})", p2 + p1


class Percentile(Func):
    """PostgreSQL's ordered-set aggregate percentile_cont(f) WITHIN GROUP (ORDER BY expr)."""

    contains_aggregate = True
    output_field = IntegerField()

    def __init__(self, expression, fraction: float):
        self.fraction = fraction
        super().__init__(expression)

    def get_group_by_cols(self):
        return []

    def as_sql(self, compiler, connection, **extra):
        inner, params = compiler.compile(self.source_expressions[0])
        return f"percentile_cont({self.fraction:f}) WITHIN GROUP (ORDER BY {inner})", params


def sqlite_by_date(claims: QuerySet, date_field: str, dims: tuple[str, ...], index: str, *,
                    by: str) -> list[dict[str, Any]]:
    """Counts by country, period of `date_field` and `dims`, for a large scope on SQLite.

    SQLite has no hash aggregate: GROUP BY on a computed period sorts every claim. Grouping by the date itself,
    in the order of a covering index that starts with (country, dims..., date) and ends with case_id, reads the
    index once, checks the scope from the index entry and aggregates as it goes, without a sort and without
    touching the claims table (EXPLAIN QUERY PLAN: "SCAN claims_claim USING COVERING INDEX ..."). The
    (country, date) groups, a few hundred thousand at most, are then summed by period: a sort of those rows
    only."""
    inner = (claims.values("country_of_persecution", *dims, date_field).annotate(n=Count("pk"))
             .order_by())
    sql, params = inner.query.sql_with_params()
    table = '"claims_claim"'
    if f"FROM {table} " not in sql:
        raise ValueError(f"unexpected claims query: {sql}")
    sql = sql.replace(f"FROM {table} ", f'FROM {table} INDEXED BY "{index}" ', 1)
    dim_columns = "".join(f', "{dim}"' for dim in dims)
    outer = (f'SELECT "country_of_persecution" AS "country"{dim_columns}, '
             f'{sqlite_period_sql(connection.ops.quote_name(date_field), by)} AS "p", SUM("n") AS "n" '
             f"FROM ({sql}) AS by_date GROUP BY 1{''.join(f', {i + 2}' for i in range(len(dims)))}, "
             f"{len(dims) + 2}")
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
