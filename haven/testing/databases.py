"""Markers for tests of one database's own machinery. `make test` runs the suite on SQLite and `.ci/run` on both
PostgreSQL and SQLite, so every such test runs in CI; on the other database it is reported as skipped."""
from __future__ import annotations

import pytest
from django.db import connection

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="PostgreSQL machinery (SQL functions, COPY, locks, DDL)")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite",
                                 reason="SQLite machinery (its schema table, PRAGMAs)")
