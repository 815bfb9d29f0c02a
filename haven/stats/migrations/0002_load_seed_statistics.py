"""Load the shipped published figures (haven/stats/data/*.csv): curated article figures on North Korean
claims in Canada and the secondary figures of the domain brief. Public reference data, loaded in every
installation; re-importing a source replaces its figures, so running the import again is harmless."""
from django.db import migrations


def load(apps, schema_editor):
    from haven.stats.loading import load_seed_files

    load_seed_files(source_model=apps.get_model("stats", "PublishedSource"),
              figure_model=apps.get_model("stats", "PublishedFigure"))


def unload(apps, schema_editor):
    apps.get_model("stats", "PublishedSource").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_published_sources_and_figures")]
    operations = [migrations.RunPython(load, unload)]
