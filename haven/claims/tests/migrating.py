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


def seed_rules_as_migrated(apps=None) -> None:
    """The deadline rules as the migrations leave them, seeded again after a transactional test's flush removed
    them: 0002's seed, then each later data migration that changes rules (0009's corrections, 0011's BOC route,
    0014's Minister's period, 0016's closing steps). Each step skips what is already done."""
    from importlib import import_module

    from django.apps import apps as current

    apps = apps or current
    for name, step in (("0002_seed_deadline_rules", "seed"),
                       ("0009_rad_bars_prra_exemption_and_nationality_grounds", "correct"),
                       ("0011_claim_intake_route_and_eligibility", "forward"),
                       ("0014_minister_rad_appeal_period_of_a_positive_decision", "seed"),
                       ("0016_closed_windows_apart_from_met_deadlines", "split")):
        getattr(import_module(f"haven.claims.migrations.{name}"), step)(apps, None)
