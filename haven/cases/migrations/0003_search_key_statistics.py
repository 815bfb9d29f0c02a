"""A finer histogram on the search keys, so PostgreSQL estimates how many
cases a name search matches (rare names: use the trigram index; common names:
walk the list order) instead of assuming 1 % for every pattern."""
from django.db import migrations

from haven.migration_sql import postgresql_sql


def statistics(target: int) -> list[str]:
    return [f"ALTER TABLE cases_case ALTER COLUMN search_key SET STATISTICS {target}",
            f"ALTER TABLE people_person ALTER COLUMN search_key SET STATISTICS {target}"]


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_search_trigram_indexes")]
    operations = [postgresql_sql(statistics(1000), statistics(-1))]
