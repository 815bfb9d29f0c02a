"""Reading published statistics and storing them: which table a file is, parsing it, and saving parsed figures
(a source imported again has its figures replaced). Public reference figures, not records of people. The service
that imports a file or the shipped seed for someone (haven.stats.services) audits; the seed data migration calls
load_seed_files directly."""
from __future__ import annotations

from dataclasses import dataclass

from haven.stats.models import PublishedFigure, PublishedSource
from haven.stats.published import (
    ImportFileError,
    ParsedFile,
    SourceRow,
    parse_curated,
    parse_date,
    parse_irb,
    parse_ircc,
    read_table,
    seed_paths,
)

FORMATS = ("curated", "irb", "ircc")
DEFAULT_PUBLISHERS = {
    "irb": "Immigration and Refugee Board of Canada",
    "ircc": "Immigration, Refugees and Citizenship Canada",
}


@dataclass(frozen=True)
class ImportResult:
    sources: int
    figures: int
    suppressed: int


def guess_format(filename: str, rows: list[list[str]]) -> str:
    header = [cell.strip().upper() for cell in (rows[0] if rows else [])]
    if "EN_YEAR" in header:
        return "ircc"
    if "STATEMENT" in header and "SOURCE" in header:
        return "curated"
    return "irb"


def parse_published(*, data: bytes, filename: str, fmt: str | None = None, publisher: str = "", title: str = "",
                    url: str = "", published: str = "", accessed: str = "", period: str = "",
                    measure: str = "", subject: str = "", unit: str = "") -> ParsedFile:
    rows = read_table(data, filename)
    fmt = fmt or guess_format(filename, rows)
    if fmt == "curated":
        return parse_curated(rows)
    source = SourceRow(publisher=publisher or DEFAULT_PUBLISHERS[fmt], title=title or filename, kind=fmt, url=url,
                       published_on=parse_date(published), published_text=published,
                       accessed_on=parse_date(accessed))
    if fmt == "irb":
        return parse_irb(rows, source=source, period=period, subject=subject or "RPD claims",
                         unit=unit or "claims")
    if fmt == "ircc":
        return parse_ircc(rows, source=source, measure=measure, subject=subject or "IRCC open data",
                          unit=unit or "people")
    raise ImportFileError([(0, f"unknown format “{fmt}”; use one of {', '.join(FORMATS)}")])


def save_parsed(parsed: ParsedFile, *, source_model=PublishedSource, figure_model=PublishedFigure) -> ImportResult:
    """Persist parsed figures. Importing a source again replaces its figures, so a corrected file or the
    seed data can be re-imported without duplicates. Also used by the seed data migration (historical
    models are passed in)."""
    sources = {}
    for row in parsed.figures:
        if row.source.identity in sources:
            continue
        src = row.source
        obj, _ = source_model.objects.update_or_create(
            publisher=src.publisher, title=src.title, published_text=src.published_text,
            defaults={"kind": src.kind, "url": src.url, "published_on": src.published_on,
                      "accessed_on": src.accessed_on, "note": src.note})
        obj.figures.all().delete()
        sources[src.identity] = obj
    # A historical model (an earlier data migration) may not have every field yet.
    known = {f.name for f in figure_model._meta.get_fields()}
    figure_model.objects.bulk_create(
        [figure_model(source=sources[row.source.identity],
                      **{name: value for name, value in row.model_fields().items() if name in known})
         for row in parsed.figures],
        batch_size=1000)
    return ImportResult(sources=len(sources), figures=len(parsed.figures),
                        suppressed=sum(1 for row in parsed.figures if row.value.suppressed))


def load_seed_files(*, source_model=PublishedSource, figure_model=PublishedFigure) -> ImportResult:
    """Load the shipped published figures (haven/stats/data); safe to repeat. The data migration 0002 runs it with
    historical models and writes no audit row (no one acts, and the audit log's tables may not exist yet);
    haven.stats.services.load_seed runs it for a person or a command and audits it."""
    total = ImportResult(0, 0, 0)
    for path in seed_paths():
        parsed = parse_curated(read_table(path.read_bytes(), path.name))
        if parsed.errors:
            raise ImportFileError(parsed.errors)
        result = save_parsed(parsed, source_model=source_model, figure_model=figure_model)
        total = ImportResult(total.sources + result.sources, total.figures + result.figures,
                             total.suppressed + result.suppressed)
    return total
