"""Trigram indexes so substring search on names stays fast on PostgreSQL.
SQLite has no equivalent; there the search scans the (small) table."""
from django.db import migrations

from haven.migration_sql import postgresql_sql

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS case_search_key_trgm ON cases_case USING gin (search_key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS person_search_key_trgm ON people_person USING gin (search_key gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS case_search_key_trgm",
    "DROP INDEX IF EXISTS person_search_key_trgm",
]


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("people", "0001_initial")]
    operations = [postgresql_sql(CREATE, DROP)]
