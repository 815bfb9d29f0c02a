"""The importers this app provides (found by haven.transfer.registry's autodiscovery)."""
from __future__ import annotations

from pathlib import Path

from haven.transfer.readers import read_table
from haven.transfer.registry import Importer, register
from haven.transfer.services import ImportResult, import_people


def run_people_import(*, path: Path, organization, actor, dry_run: bool, progress: bool) -> ImportResult:
    table = read_table(path)
    return import_people(actor=actor, organization=organization, rows=table.rows, columns=table.columns,
                         dry_run=dry_run, progress=progress, source=Path(path).name)


register(Importer(kind="people", help="People in households, one row per person (docs/import-people.md)",
                  run=run_people_import))
