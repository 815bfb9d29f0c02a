"""Reading published statistics: values, periods and measures as publishers
write them, and the three file layouts Haven imports (curated article figures,
IRB tables, IRCC open-data files). Pure functions: nothing here touches the
database (see services.import_published and the seed data migration)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError

from haven.people.codes import country_code
from haven.stats.models import RateDefinition, Reliability

SUPPRESSED_MARKS = {"--", "—", "x", "X", "..", "s", "suppressed"}

# Normalized measure keys and the wordings publishers use for them (lower case).
MEASURE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "referred": ("referred", "claims", "applications", "claimants", "claims referred", "referrals", "cases",
                 "new claims", "claims made"),
    "accepted": ("accepted", "granted", "granted protection", "recognized", "recognised", "approved", "positive decisions"),
    "rejected": ("rejected", "refused", "negative decisions"),
    "abandoned": ("abandoned",),
    "withdrawn": ("withdrawn",),
    "withdrawn_other": ("withdrawn and other", "withdrawn & other", "withdrawn/other", "withdrawn or other"),
    "finalized": ("finalized", "finalised", "total finalized", "total finalizations", "decided", "total"),
    "pending": ("pending",),
    # The three rates are kept apart (haven.stats.models.RateDefinition): "recognition rate" is not an acceptance
    # rate. A source that says which rate it means can say so in the curated file's rate_definition column.
    "acceptance_rate": ("acceptance rate", "approval rate of finalized claims", "approval rate"),
    "rate_excluding_abandoned_withdrawn": ("acceptance rate excluding abandoned and withdrawn claims",
                                           "acceptance rate excluding abandoned and withdrawn"),
    "recognition_rate": ("recognition rate", "refugee recognition rate", "total recognition rate"),
    "rejection_share": ("share refused", "refusal rate"),
    "abandonment_share": ("share of claims abandoned", "abandonment rate"),
    "rad_filed": ("filed", "appeals filed"),
}
_MEASURE_LOOKUP = {wording: key for key, wordings in MEASURE_SYNONYMS.items() for wording in wordings}

MONTHS = {name: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items())})


class ImportFileError(Exception):
    """A file that cannot be imported; `errors` lists (row number, message)."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("; ".join(f"row {row}: {message}" for row, message in errors[:20]))


@dataclass(frozen=True)
class ParsedValue:
    qualifier: str
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    suppressed: bool = False


@dataclass(frozen=True)
class ParsedPeriod:
    key: str
    start: dt.date | None
    end: dt.date | None


@dataclass
class SourceRow:
    publisher: str
    title: str = ""
    kind: str = "article"
    url: str = ""
    published_on: dt.date | None = None
    published_text: str = ""
    accessed_on: dt.date | None = None
    note: str = ""

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.publisher, self.title, self.published_text)


@dataclass
class FigureRow:
    source: SourceRow
    subject: str
    country: str
    period_text: str
    period: ParsedPeriod
    measure_text: str
    measure: str
    value_text: str
    value: ParsedValue
    unit: str
    statement: str = ""
    rounded_to: int | None = None
    rate_definition: str = ""
    reliability: str = Reliability.VALID
    reliability_source: str = ""

    def __post_init__(self) -> None:
        if not self.rate_definition and self.measure in RateDefinition.values:
            self.rate_definition = self.measure  # a rate's measure names its definition

    def model_fields(self) -> dict:
        return {
            "subject": self.subject, "country": self.country, "period_text": self.period_text,
            "period_key": self.period.key, "period_start": self.period.start, "period_end": self.period.end,
            "measure_text": self.measure_text, "measure": self.measure, "value_text": self.value_text,
            "qualifier": self.value.qualifier, "value": self.value.value, "value_low": self.value.low,
            "value_high": self.value.high, "unit": self.unit, "suppressed": self.value.suppressed,
            "statement": self.statement, "rounded_to": self.rounded_to, "rate_definition": self.rate_definition,
            "reliability": self.reliability, "reliability_source": self.reliability_source,
        }


@dataclass
class ParsedFile:
    figures: list[FigureRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _number(text: str) -> Decimal:
    cleaned = text.replace(",", "").replace(" ", "").replace("\u00a0", "").replace("$", "").rstrip("%")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None


def parse_value(text: str) -> ParsedValue:
    """'719', '76,305', '~25', '>90', '<5', '100-300', '718–720', '--' (suppressed), or free text."""
    raw = (text or "").strip()
    if raw in SUPPRESSED_MARKS:
        return ParsedValue("suppressed", suppressed=True)
    try:
        if raw.startswith(("~", "≈")) or raw.lower().startswith(("about ", "approx")):
            return ParsedValue("approx", value=_number(re.sub(r"^(~|≈|about |approx\.? ?)", "", raw, flags=re.I)))
        if raw.startswith(">"):
            return ParsedValue("more_than", low=_number(raw.lstrip(">= ")))
        if raw.startswith("<"):
            return ParsedValue("less_than", low=Decimal(0), high=_number(raw.lstrip("<= ")))
        match = re.fullmatch(r"([\d.,]+)\s*[-–—]\s*([\d.,]+)", raw)
        if match:
            low, high = sorted((_number(match.group(1)), _number(match.group(2))))
            return ParsedValue("range", low=low, high=high)
        return ParsedValue("exact", value=_number(raw))
    except ValueError:
        return ParsedValue("text")


def parse_period(text: str) -> ParsedPeriod:
    """'2012', '2011-2012', '2015-H1', '2015-Q3', 'Q3 2015', '2015-07', '2014 (since June)'; other wording
    keeps a slug as its key and no dates."""
    raw = (text or "").strip()
    lower = raw.lower()
    if m := re.fullmatch(r"(\d{4})", raw):
        year = int(m.group(1))
        return ParsedPeriod(raw, dt.date(year, 1, 1), dt.date(year, 12, 31))
    if m := re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", raw):
        first, last = int(m.group(1)), int(m.group(2))
        return ParsedPeriod(f"{first}-{last}", dt.date(first, 1, 1), dt.date(last, 12, 31))
    if m := re.fullmatch(r"(\d{4})-?h([12])", lower):
        year, half = int(m.group(1)), int(m.group(2))
        return ParsedPeriod(f"{year}-H{half}", dt.date(year, 1 if half == 1 else 7, 1),
                            dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31))
    if (m := re.fullmatch(r"(\d{4})\s*-?\s*q([1-4])", lower)) or (m := re.fullmatch(r"q([1-4])\s+(\d{4})", lower)):
        year, quarter = (int(m.group(1)), int(m.group(2))) if len(m.group(1)) == 4 else (int(m.group(2)), int(m.group(1)))
        return ParsedPeriod(f"{year}-Q{quarter}", *quarter_bounds(year, quarter))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", raw):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return ParsedPeriod(f"{year}-{month:02d}", dt.date(year, month, 1), month_end(year, month))
    if (m := re.fullmatch(r"(\d{4})\s*\(since (\w+)\)", lower)) and m.group(2) in MONTHS:
        year, month = int(m.group(1)), MONTHS[m.group(2)]
        return ParsedPeriod(f"{year}-{month:02d}..{year}-12", dt.date(year, month, 1), dt.date(year, 12, 31))
    slug = re.sub(r"[^a-z0-9.]+", "-", lower).strip("-")[:40]
    return ParsedPeriod(slug or "unknown", None, None)


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    return start, month_end(year, 3 * quarter)


def month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def normalize_measure(text: str) -> str:
    lower = re.sub(r"\s+", " ", (text or "").strip().lower())
    if lower in _MEASURE_LOOKUP:
        return _MEASURE_LOOKUP[lower]
    return re.sub(r"[^a-z0-9]+", "_", lower).strip("_")[:60] or "unknown"


def parse_date(text: str) -> dt.date | None:
    raw = (text or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return dt.date.fromisoformat(raw)
    return None


def infer_country(subject: str) -> str:
    """The country a curated figure is about when the file has no country column."""
    lower = subject.lower()
    if "north korea" in lower or "dprk" in lower:
        return "KP"
    return ""


# ---------------------------------------------------------------- table files


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """Rows of cells as text from a CSV (comma or tab separated, UTF-8 with or without BOM) or XLSX file."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [["" if cell is None else _cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    text = data.decode("utf-8-sig")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _records(rows: list[list[str]], header_index: int) -> list[tuple[int, dict[str, str]]]:
    header = [h.strip() for h in rows[header_index]]
    records = []
    for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        if not any(cell.strip() for cell in row):
            continue
        records.append((offset, {header[i]: (row[i].strip() if i < len(row) else "") for i in range(len(header))}))
    return records


CURATED_REQUIRED = ("source", "published", "subject", "period", "measure", "value", "unit", "statement")


def _rate_and_reliability(record: dict[str, str], measure: str) -> tuple[dict[str, str], list[str]]:
    """The optional rate_definition, reliability and reliability_source of a curated row, and its problems. A rate
    whose definition is given is compared under that definition's measure; a measure that is one of the rates
    states its definition."""
    problems = []
    definition = record.get("rate_definition", "").strip()
    if definition and definition not in RateDefinition.values:
        problems.append(f"rate_definition “{definition}” is not one of {', '.join(RateDefinition.values)}")
    reliability = record.get("reliability", "").strip() or Reliability.VALID
    if reliability not in Reliability.values:
        problems.append(f"reliability “{reliability}” is not one of {', '.join(Reliability.values)}")
    source = record.get("reliability_source", "").strip()
    if reliability != Reliability.VALID and not source:
        problems.append("a retracted or erroneous figure needs its reliability_source")
    if not definition and measure in RateDefinition.values:
        definition = measure
    return {"rate_definition": definition, "reliability": reliability, "reliability_source": source,
            "measure": definition or measure}, problems


def parse_curated(rows: list[list[str]]) -> ParsedFile:
    """Curated figures (as seed-statistics.csv): source, published, subject, period, measure, value, unit,
    statement; optional title, url, accessed, country, measure_key, kind, note, rate_definition (which of the three
    rates a rate is), reliability (valid, retracted, erroneous) and reliability_source."""
    parsed = ParsedFile()
    if not rows:
        parsed.errors.append((1, "the file is empty"))
        return parsed
    header = [h.strip().lower() for h in rows[0]]
    missing = [name for name in CURATED_REQUIRED if name not in header]
    if missing:
        parsed.errors.append((1, f"missing columns: {', '.join(missing)}"))
        return parsed
    rows = [header, *rows[1:]]
    sources: dict[tuple, SourceRow] = {}
    for line, record in _records(rows, 0):
        problems = [f"{name} is required" for name in ("source", "subject", "period", "measure", "value", "unit")
                    if not record.get(name)]
        country = record.get("country", "")
        if country:
            try:
                country = country_code(country)
            except ValidationError:
                problems.append(f"unknown country “{country}”")
        else:
            country = infer_country(record.get("subject", ""))
        accessed = record.get("accessed", "")
        if accessed and parse_date(accessed) is None:
            problems.append(f"accessed date “{accessed}” is not YYYY-MM-DD")
        extra, extra_problems = _rate_and_reliability(
            record, record.get("measure_key") or normalize_measure(record.get("measure", "")))
        problems.extend(extra_problems)
        if problems:
            parsed.errors.extend((line, problem) for problem in problems)
            continue
        source = SourceRow(publisher=record["source"], title=record.get("title", ""),
                           kind=record.get("kind", "") or "article", url=record.get("url", ""),
                           published_on=parse_date(record["published"]), published_text=record["published"],
                           accessed_on=parse_date(accessed), note=record.get("note", ""))
        source = sources.setdefault(source.identity, source)
        parsed.figures.append(FigureRow(
            source=source, subject=record["subject"], country=country, period_text=record["period"],
            period=parse_period(record["period"]), measure_text=record["measure"], value_text=record["value"],
            value=parse_value(record["value"]), unit=record["unit"], statement=record.get("statement", ""), **extra))
    return parsed


def _country_or_total(text: str) -> str:
    if text.strip().lower() in {"total", "grand total", "all countries", "total - all countries"}:
        return ""
    return country_code(text)


def parse_irb(rows: list[list[str]], *, source: SourceRow, period: str = "", subject: str = "RPD claims",
              unit: str = "claims") -> ParsedFile:
    """An IRB table: a header row with a country column ("Country", "Country of Alleged Persecution") and
    one column per measure (Referred, Accepted, Rejected, Abandoned, Withdrawn and Other, Total, Pending);
    title rows above the header are skipped. The period comes from a Year/Period/Quarter column or `period`.
    Values under the IRB's threshold are printed "--" and kept as suppressed."""
    parsed = ParsedFile()
    header_index = next((i for i, row in enumerate(rows) if any("country" in c.lower() for c in row)), None)
    if header_index is None:
        parsed.errors.append((1, "no header row with a Country column"))
        return parsed
    header = [h.strip() for h in rows[header_index]]
    country_col = next(h for h in header if "country" in h.lower())
    period_col = next((h for h in header if h.lower() in {"year", "period", "quarter"}), None)
    if period_col is None and not period:
        parsed.errors.append((header_index + 1, "no Year/Period column: give the period (--period)"))
        return parsed
    measure_cols = [h for h in header if h and h not in {country_col, period_col}]
    for line, record in _records(rows, header_index):
        try:
            country = _country_or_total(record[country_col])
        except ValidationError:
            parsed.errors.append((line, f"unknown country “{record[country_col]}”"))
            continue
        period_text = record[period_col] if period_col else period
        for column in measure_cols:
            text = record.get(column, "")
            if not text:
                continue
            value = parse_value(text)
            if value.qualifier == "text":
                parsed.errors.append((line, f"{column}: “{text}” is not a number"))
                continue
            parsed.figures.append(FigureRow(
                source=source, subject=subject, country=country, period_text=period_text,
                period=parse_period(period_text), measure_text=column, measure=normalize_measure(column),
                value_text=text, value=value, unit=unit,
                statement=f"{record[country_col]}, {period_text}: {column} {text}"))
    return parsed


def parse_ircc(rows: list[list[str]], *, source: SourceRow, measure: str = "", subject: str = "IRCC open data",
               unit: str = "people") -> ParsedFile:
    """An IRCC open-data file (tab separated): EN_YEAR, optional EN_QUARTER / EN_MONTH,
    EN_COUNTRY_OF_CITIZENSHIP, EN_... category columns, TOTAL. Counts are rounded to 5 by IRCC and "--"
    marks a suppressed small count."""
    parsed = ParsedFile()
    if not rows:
        parsed.errors.append((1, "the file is empty"))
        return parsed
    header = [h.strip() for h in rows[0]]
    upper = [h.upper() for h in header]
    if "EN_YEAR" not in upper or "TOTAL" not in upper:
        parsed.errors.append((1, "IRCC files need EN_YEAR and TOTAL columns"))
        return parsed
    rows = [upper, *rows[1:]]
    country_col = next((h for h in upper if h.startswith("EN_COUNTRY")), None)
    category_cols = [h for h in upper if h.startswith("EN_") and h not in
                     {"EN_YEAR", "EN_QUARTER", "EN_MONTH", country_col}]
    for line, record in _records(rows, 0):
        year = record["EN_YEAR"]
        if not re.fullmatch(r"\d{4}", year):
            parsed.errors.append((line, f"EN_YEAR “{year}” is not a year"))
            continue
        period_text = year
        if record.get("EN_MONTH"):
            month = MONTHS.get(record["EN_MONTH"].lower()[:3])
            if month is None:
                parsed.errors.append((line, f"EN_MONTH “{record['EN_MONTH']}” is not a month"))
                continue
            period_text = f"{year}-{month:02d}"
        elif record.get("EN_QUARTER"):
            quarter = re.search(r"[1-4]", record["EN_QUARTER"])
            if quarter is None:
                parsed.errors.append((line, f"EN_QUARTER “{record['EN_QUARTER']}” is not a quarter"))
                continue
            period_text = f"{year}-Q{quarter.group(0)}"
        country = ""
        if country_col:
            try:
                country = _country_or_total(record[country_col])
            except ValidationError:
                parsed.errors.append((line, f"unknown country “{record[country_col]}”"))
                continue
        measure_text = measure or " / ".join(record[c] for c in category_cols if record.get(c)) or "total"
        text = record["TOTAL"]
        value = parse_value(text)
        if value.qualifier == "text":
            parsed.errors.append((line, f"TOTAL “{text}” is not a number"))
            continue
        parsed.figures.append(FigureRow(
            source=source, subject=subject, country=country, period_text=period_text,
            period=parse_period(period_text), measure_text=measure_text, measure=normalize_measure(measure_text),
            value_text=text, value=value, unit=unit, rounded_to=5,
            statement=f"{record.get(country_col, '') if country_col else ''} {period_text}: {measure_text} {text}"
            .strip()))
    return parsed


SEED_FILES = ("seed-statistics.csv", "domain-brief-secondary.csv")


def seed_paths() -> list[Path]:
    return [Path(__file__).resolve().parent / "data" / name for name in SEED_FILES]
