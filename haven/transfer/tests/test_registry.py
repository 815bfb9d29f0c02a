"""The importer registry lets another app add a kind without touching haven.transfer."""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from haven.testing.factories import OrganizationFactory
from haven.transfer import registry
from haven.transfer.registry import Importer, get_importer, importers, register


class Outcome:
    def __init__(self, path: Path):
        self.path = path

    def summary(self) -> str:
        return f"counted {len(self.path.read_text().splitlines())} lines"


def run_lines(*, path, organization, actor, dry_run, progress):
    return Outcome(path)


class RegistryTests(TestCase):
    def setUp(self):
        self.addCleanup(registry._importers.pop, "lines", None)

    def test_people_is_registered_by_autodiscovery(self):
        self.assertIn("people", importers())
        self.assertEqual(get_importer("people").kind, "people")

    def test_unknown_kind(self):
        with self.assertRaisesMessage(LookupError, "no importer for “nope”"):
            get_importer("nope")

    def test_a_registered_kind_is_offered_by_the_command(self):
        register(Importer(kind="lines", help="count lines", run=run_lines))
        OrganizationFactory(slug="lines-org")
        path = Path(self.enterContext(tempfile.TemporaryDirectory())) / "f.csv"
        path.write_text("a\nb\n")
        out = io.StringIO()
        call_command("import_data", "lines", str(path), "--organization", "lines-org", stdout=out)
        self.assertIn("counted 2 lines", out.getvalue())

    def test_two_importers_cannot_claim_one_kind(self):
        register(Importer(kind="lines", help="count lines", run=run_lines))
        with self.assertRaisesMessage(ValueError, "already registered"):
            register(Importer(kind="lines", help="other", run=lambda **kwargs: None))
