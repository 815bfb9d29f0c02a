"""Indexes for the case list at scale (PostgreSQL).

- `haven_hangul_bigrams(search_key)`: every pair of adjacent Hangul syllables in a search key, in a GIN
  index. A two-syllable Hangul search (a given name such as 복애 is usually two syllables) yields no
  trigram, so the trigram index of 0002 cannot serve it and PostgreSQL read every case; with this index it
  reads only the cases that contain the pair. The same index on people_person serves the API's person
  search. SQLite has no equivalent; there the search scans the table.
- (organization, opened_on DESC, id DESC): a caseworker's list is "the cases of my organization", newest
  first, so a page, even a deep one, is an index-only walk. (By reference, the unique (organization,
  reference) index serves.)
"""
from django.db import migrations, models

from haven.migration_sql import postgresql_sql

FUNCTION = r"""
CREATE OR REPLACE FUNCTION haven_hangul_bigrams(key text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(m.run[1], i, 2)), '{}')
  FROM regexp_matches(key, '[가-힣]{2,}', 'g') AS m(run), generate_series(1, length(m.run[1]) - 1) AS i
$$
"""
CREATE = [
    FUNCTION,
    "CREATE INDEX IF NOT EXISTS case_search_key_hangul_bigrams ON cases_case USING gin "
    "(haven_hangul_bigrams(search_key))",
    "CREATE INDEX IF NOT EXISTS person_search_key_hangul_bigrams ON people_person USING gin "
    "(haven_hangul_bigrams(search_key))",
]
DROP = [
    "DROP INDEX IF EXISTS case_search_key_hangul_bigrams",
    "DROP INDEX IF EXISTS person_search_key_hangul_bigrams",
    "DROP FUNCTION IF EXISTS haven_hangul_bigrams(text)",
]


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_search_key_statistics"), ("people", "0001_initial")]
    operations = [
        postgresql_sql(CREATE, DROP),
        migrations.RemoveIndex(model_name="case", name="case_org_status_opened"),
        migrations.AddIndex(model_name="case", index=models.Index(
            fields=["organization", "status", "-opened_on", "-id"], name="case_org_status_opened_id")),
        migrations.AddIndex(model_name="case", index=models.Index(
            fields=["organization", "-opened_on", "-id"], name="case_org_opened_id")),
    ]
