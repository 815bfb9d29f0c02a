"""Writes of the statistics app: importing published figures, from a file or the shipped seed (all-or-nothing,
audited), and marking a published figure retracted or erroneous. Parsing and storing are in haven.stats.loading."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from haven.audit.models import Action
from haven.audit.services import diff, record, snapshot
from haven.records.text import check_safe_text
from haven.stats.loading import ImportResult, load_seed_files, parse_published, save_parsed
from haven.stats.models import PublishedFigure, Reliability
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


def check_mark_figure(*, reliability: str, source: str) -> None:
    """A figure is retracted or erroneous on someone's word, which is kept with it; valid needs no source."""
    if reliability not in Reliability.values:
        raise ValidationError({"reliability": _("Choose valid, retracted or erroneous.")})
    check_safe_text(source, field="reliability_source")
    if reliability != Reliability.VALID and not (source or "").strip():
        raise ValidationError({"reliability_source": _(
            "Say who retracted the figure or showed it wrong, and where: the source is shown with the figure.")})


@transaction.atomic
def mark_figure(*, actor, figure: PublishedFigure, reliability: str, source: str = "") -> PublishedFigure:
    """Mark a published figure retracted or erroneous (with its source), or valid again; a figure that is not valid
    is shown as such and never compared (haven.stats.comparison)."""
    check_mark_figure(reliability=reliability, source=source)
    old = snapshot(figure, ("reliability", "reliability_source"))
    figure.reliability = reliability
    figure.reliability_source = (source or "").strip() if reliability != Reliability.VALID else ""
    figure.save(update_fields=["reliability", "reliability_source"])
    record(actor=actor, action=Action.UPDATE, obj=figure, summary=f"published figure {figure.pk}: {reliability}",
           changes=diff(old, snapshot(figure, ("reliability", "reliability_source"))))
    return figure
