"""Moving the test database between claims migrations, for the migration tests. Each test ends at `latest()`:
the tests after it, in the same process, need every later migration."""
from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(target: tuple[str, str]):
    """Migrate to `target` (app, migration name); the historical apps at that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def latest() -> tuple[str, str]:
    """The claims app's last migration."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes("claims")[0]
