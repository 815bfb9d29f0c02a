"""Which kinds of file `haven import KIND FILE` understands.

Each app that can import a kind of record registers an importer from its own
`importers.py` module (found with Django's autodiscovery), so a new kind needs
no edit here or in the command:

    # haven/claims/importers.py
    from haven.transfer.registry import Importer, register

    register(Importer(kind="claims", help="Refugee claims, one row per claim", run=run_claims_import))

`run` is called with keyword arguments `path` (a pathlib.Path), `organization`
(an accounts.Organization), `actor` (a User or None for a system import),
`dry_run` (bool) and `progress` (bool: show a progress bar on stderr). It
returns an object with a one-line `summary()`; on invalid input it raises
`haven.transfer.errors.ImportRejected` carrying the row errors, having written
nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.utils.module_loading import autodiscover_modules


class ImportOutcome(Protocol):
    def summary(self) -> str: ...


@dataclass(frozen=True)
class Importer:
    kind: str
    help: str
    run: Callable[..., ImportOutcome]


_importers: dict[str, Importer] = {}
_discovered = False


def register(importer: Importer) -> Importer:
    existing = _importers.get(importer.kind)
    if existing is not None and existing.run is not importer.run:
        raise ValueError(f"an importer for “{importer.kind}” is already registered")
    _importers[importer.kind] = importer
    return importer


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("importers")
        _discovered = True


def importers() -> dict[str, Importer]:
    """Every registered importer, by kind, in alphabetical order."""
    _discover()
    return dict(sorted(_importers.items()))


def get_importer(kind: str) -> Importer:
    _discover()
    try:
        return _importers[kind]
    except KeyError:
        raise LookupError(f"no importer for “{kind}”; known kinds: {', '.join(sorted(_importers)) or 'none'}") \
            from None
