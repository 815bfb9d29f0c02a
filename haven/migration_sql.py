"""A migration operation for PostgreSQL's own machinery (trigram and expression indexes, SQL functions, planner
statistics): SQLite has no equivalent, and there the operation does nothing. Migrations import this module, so
its behaviour must stay as it is."""
from __future__ import annotations

from collections.abc import Sequence

from django.db import migrations


def postgresql_sql(forward: Sequence[str], backward: Sequence[str]) -> migrations.RunPython:
    """Run the `forward` statements in order when migrating, `backward` when unapplying; on PostgreSQL only."""
    return migrations.RunPython(_run(forward), _run(backward))


def _run(statements: Sequence[str]):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    return apply
