"""Writes of the statistics app: importing published figures, from a file or the shipped seed (all-or-nothing,
audited). Parsing and storing are in haven.stats.loading."""
from __future__ import annotations

from django.db import transaction

from haven.audit.models import Action
from haven.audit.services import record
from haven.stats.loading import ImportResult, load_seed_files, parse_published, save_parsed
from haven.stats.published import ImportFileError


@transaction.atomic
def load_seed(*, actor=None) -> ImportResult:
    """Load the shipped published figures again (replacing theirs) and audit it; `actor` None: a command or job."""
    result = load_seed_files()
    record(actor=actor, action=Action.IMPORT, summary="shipped published statistics",
           changes={"sources": result.sources, "figures": result.figures, "suppressed": result.suppressed})
    return result


def import_published(*, actor, data: bytes, filename: str, fmt: str | None = None, **options: str) -> ImportResult:
    """Import a published table or curated figures; any row error rejects the whole file."""
    parsed = parse_published(data=data, filename=filename, fmt=fmt, **options)
    if parsed.errors:
        raise ImportFileError(parsed.errors)
    if not parsed.figures:
        raise ImportFileError([(0, "the file holds no figures")])
    with transaction.atomic():
        result = save_parsed(parsed)
        record(actor=actor, action=Action.IMPORT, summary=f"published statistics from {filename}",
               changes={"file": filename, "sources": result.sources, "figures": result.figures,
                        "suppressed": result.suppressed})
    return result
