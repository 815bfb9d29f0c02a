"""Say which of the three rates a published rate means (acceptance, leaving out abandoned and withdrawn claims,
recognition) and mark a figure retracted or erroneous with its source. The shipped seed is loaded again so that its
figures get their definitions and the CBSA "removals to North Korea" figure is marked retracted (the loader
replaces a source's figures, never duplicates them); figures imported by users are left as they are (valid, and
a rate's definition follows its wording: one worded "recognition rate", which was read as an acceptance rate,
becomes a recognition rate)."""

from django.db import migrations, models


def reload_seed(apps, schema_editor):
    from haven.stats.loading import load_seed_files
    from haven.stats.published import normalize_measure

    PublishedFigure = apps.get_model("stats", "PublishedFigure")
    rates = ("acceptance_rate", "rate_excluding_abandoned_withdrawn", "recognition_rate")
    for figure in PublishedFigure.objects.filter(measure__in=rates):
        measure = normalize_measure(figure.measure_text)
        definition = measure if measure in rates else figure.measure
        PublishedFigure.objects.filter(pk=figure.pk).update(measure=definition, rate_definition=definition)
    load_seed_files(source_model=apps.get_model("stats", "PublishedSource"), figure_model=PublishedFigure)


class Migration(migrations.Migration):

    dependencies = [
        ('stats', '0002_load_seed_statistics'),
    ]

    operations = [
        migrations.AddField(
            model_name='publishedfigure',
            name='rate_definition',
            field=models.CharField(blank=True, choices=[('acceptance_rate', 'Acceptance rate: accepted / finalized'), ('rate_excluding_abandoned_withdrawn', 'Acceptance rate leaving out abandoned and withdrawn claims: accepted / (finalized − abandoned − withdrawn and other)'), ('recognition_rate', 'Recognition rate: accepted / (accepted + rejected)')], default='', help_text='For a rate: which of the three rates its source means.', max_length=40),
        ),
        migrations.AddField(
            model_name='publishedfigure',
            name='reliability',
            field=models.CharField(choices=[('valid', 'As published'), ('retracted', 'Retracted'), ('erroneous', 'Erroneous')], default='valid', max_length=10),
        ),
        migrations.AddField(
            model_name='publishedfigure',
            name='reliability_source',
            field=models.CharField(blank=True, default='', help_text='Who retracted the figure or showed it wrong, and where (required unless the figure is valid).', max_length=300),
        ),
        migrations.AddConstraint(
            model_name='publishedfigure',
            constraint=models.CheckConstraint(condition=models.Q(('reliability', 'valid'), models.Q(('reliability_source', ''), _negated=True), _connector='OR'), name='published_fig_unreliable_has_source'),
        ),
        migrations.RunPython(reload_seed, migrations.RunPython.noop),
    ]
