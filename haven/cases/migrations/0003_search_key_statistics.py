"""A finer histogram on the search keys, so PostgreSQL estimates how many
cases a name search matches (rare names: use the trigram index; common names:
walk the list order) instead of assuming 1 % for every pattern."""
from django.db import migrations


def apply(statistics: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE cases_case ALTER COLUMN search_key SET STATISTICS {statistics}")
            cursor.execute(f"ALTER TABLE people_person ALTER COLUMN search_key SET STATISTICS {statistics}")
    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_search_trigram_indexes")]
    operations = [migrations.RunPython(apply(1000), apply(-1))]
