"""Published figures: parsing as publishers write them, the three import formats (all-or-nothing,
suppressed cells kept as suppressed), and conflict detection on the shipped seed statistics."""
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from haven.audit.models import Action, AuditEntry
from haven.stats.models import PublishedFigure, PublishedSource
from haven.stats.published import (
    ImportFileError,
    normalize_measure,
    parse_curated,
    parse_period,
    parse_value,
    read_table,
    seed_paths,
)
from haven.stats.comparison import published_before_period_end, published_groups
from haven.stats.services import import_published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seed():
    """The data migration loads the seed; a transactional test elsewhere may have flushed it."""
    from haven.stats.services import load_seed

    if not PublishedSource.objects.exists():
        load_seed()


@pytest.mark.parametrize("text,expected", [
    ("719", ("exact", Decimal(719), None, None)),
    ("76,305", ("exact", Decimal(76305), None, None)),
    ("~25", ("approx", Decimal(25), None, None)),
    (">90", ("more_than", None, Decimal(90), None)),
    ("<5", ("less_than", None, Decimal(0), Decimal(5))),
    ("100-300", ("range", None, Decimal(100), Decimal(300))),
    ("718–720", ("range", None, Decimal(718), Decimal(720))),
    ("1 month / 1 year", ("text", None, None, None)),
])
def test_parse_value(text, expected):
    parsed = parse_value(text)
    assert (parsed.qualifier, parsed.value, parsed.low, parsed.high) == expected
    assert not parsed.suppressed


def test_suppressed_cell_is_suppressed_not_zero():
    parsed = parse_value("--")
    assert parsed.suppressed and parsed.value is None and parsed.qualifier == "suppressed"


@pytest.mark.parametrize("text,key", [
    ("2012", "2012"), ("2011-2012", "2011-2012"), ("2015-H1", "2015-H1"), ("Q3 2015", "2015-Q3"),
    ("2015-Q3", "2015-Q3"), ("2014 (since June)", "2014-06..2014-12"), ("c.2010", "c.2010"),
])
def test_parse_period(text, key):
    assert parse_period(text).key == key


def test_measure_wordings_are_normalized():
    assert {normalize_measure(w) for w in ("claims", "applications", "claimants", "Referred")} == {"referred"}
    assert normalize_measure("granted protection") == normalize_measure("Accepted") == "accepted"
    assert normalize_measure("Withdrawn and Other") == "withdrawn_other"
    assert normalize_measure("processing time") == "processing_time"


def test_shipped_seed_is_loaded_with_its_wording():
    from haven.stats.services import load_seed

    assert PublishedFigure.objects.count() == 41
    assert load_seed().figures == 41  # loading again replaces, never duplicates
    assert PublishedFigure.objects.count() == 41
    figure = PublishedFigure.objects.get(source__publisher="VICE News (Justin Ling)", period_key="2012")
    assert (figure.measure, figure.measure_text, figure.value, figure.country) == \
        ("referred", "applications", Decimal(719), "KP")
    assert figure.statement.startswith("719 in that year alone")
    assert str(figure.source.published_on) == "2015-10-07"


def test_conflicts_on_the_shipped_seed_statistics():
    groups = {(g.country, g.period_key, g.measure): g for g in published_groups()}
    claims_2012 = groups[("KP", "2012", "referred")]
    assert sorted(f.value_text for f in claims_2012.figures) == ["708", "718–720", "719"]
    pairs = {frozenset((a.value_text, b.value_text)) for a, b in claims_2012.conflicts}
    # 708 conflicts with both; 719 lies within 718–720.
    assert pairs == {frozenset(("708", "719")), frozenset(("708", "718–720"))}
    claims_2014 = groups[("KP", "2014", "referred")]
    assert sorted(f.value_text for f in claims_2014.figures) == ["327", "618", "<5"]
    assert len(claims_2014.conflicts) == 3
    assert groups[("KP", "2013", "referred")].in_conflict  # 95 against about 150
    accepted_2014 = groups[("KP", "2014", "accepted")]
    assert accepted_2014.in_conflict  # 1 (VICE, davidmckie) against 0 (The Tyee, September 2014)
    tyee = next(f for f in accepted_2014.figures if f.value_text == "0")
    assert published_before_period_end(tyee)
    # One source, or figures that agree, are no conflict.
    assert not groups[("KP", "2015-H1", "accepted")].in_conflict
    assert not groups[("KP", "2014-06..2014-12", "rejected")].in_conflict


def test_conflict_rules_for_bounds_and_approximations():
    source_a = PublishedSource.objects.create(publisher="A")
    source_b = PublishedSource.objects.create(publisher="B")

    def fig(source, text, period):
        value = parse_value(text)
        return PublishedFigure.objects.create(
            source=source, subject="t", country="ZZ", period_text=period, period_key=period, measure_text="claims",
            measure="referred", value_text=text, qualifier=value.qualifier, value=value.value,
            value_low=value.low, value_high=value.high, unit="claims")

    fig(source_a, "<5", "1990"), fig(source_b, "5", "1990")   # 5 is not fewer than 5
    fig(source_a, "~100", "1991"), fig(source_b, "108", "1991")  # within 10%
    fig(source_a, ">90", "1992"), fig(source_b, "95", "1992")
    fig(source_a, "10", "1993"), fig(source_a, "12", "1993")  # same source: not a conflict between sources
    groups = {g.period_key: g for g in published_groups(PublishedFigure.objects.filter(country="ZZ"))}
    assert groups["1990"].in_conflict
    assert not groups["1991"].in_conflict
    assert not groups["1992"].in_conflict
    assert not groups["1993"].in_conflict


def test_curated_import_is_all_or_nothing():
    before = PublishedFigure.objects.count()
    data = ("source,published,subject,period,measure,value,unit,statement\n"
            "Test Daily,2020-01-02,North Korean refugee claims in Canada,2019,claims,12,claims,twelve\n"
            "Test Daily,2020-01-02,North Korean refugee claims in Canada,,claims,13,claims,no period\n").encode()
    with pytest.raises(ImportFileError) as error:
        import_published(actor=None, data=data, filename="bad.csv")
    assert error.value.errors == [(3, "period is required")]
    assert PublishedFigure.objects.count() == before


def test_irb_table_with_title_rows_and_suppressed_cells():
    data = ("RPD statistics 2024\n\n"
            "Country of Alleged Persecution,Referred,Accepted,Rejected,Abandoned,Withdrawn and Other,Total,Pending\n"
            "\"Korea, North\",--,12,--,3,0,15,\"1,204\"\n"
            "Total,146828,33583,8172,6830,4400,52985,249857\n").encode()
    result = import_published(actor=None, data=data, filename="rpd-2024.csv", fmt="irb", period="2024",
                              published="2024-11-01")
    assert (result.figures, result.suppressed) == (14, 2)
    source = PublishedSource.objects.get(title="rpd-2024.csv")
    assert source.publisher == "Immigration and Refugee Board of Canada"
    kp = {f.measure: f for f in source.figures.filter(country="KP")}
    assert kp["referred"].suppressed and kp["referred"].value is None and kp["referred"].display_value == "--"
    assert kp["pending"].value == Decimal(1204)
    assert kp["withdrawn_other"].value == 0 and not kp["withdrawn_other"].suppressed
    assert source.figures.get(country="", measure="finalized").value == Decimal(52985)
    assert AuditEntry.objects.filter(action=Action.IMPORT, summary__contains="rpd-2024.csv").exists()


def test_irb_xlsx_import_and_reimport_replaces():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Country", "Year", "Referred", "Accepted"])
    sheet.append(["Korea, Democratic People's Republic of", 2013, 150, "--"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    for _ in range(2):
        import_published(actor=None, data=buffer.getvalue(), filename="rpd.xlsx")
    figures = PublishedFigure.objects.filter(source__title="rpd.xlsx")
    assert figures.count() == 2
    assert figures.get(measure="referred").value == 150 and figures.get(measure="accepted").suppressed


def test_ircc_open_data_tab_separated():
    data = ("EN_YEAR\tEN_QUARTER\tEN_COUNTRY_OF_CITIZENSHIP\tEN_IMMIGRATION_CATEGORY-MANAGED\tTOTAL\n"
            "2019\tQ1\tKorea, Democratic People's Republic of\tProtected Persons in Canada\t--\n"
            "2019\tQ2\tKorea, Democratic People's Republic of\tProtected Persons in Canada\t15\n").encode()
    result = import_published(actor=None, data=data, filename="ircc.tsv")
    assert (result.figures, result.suppressed) == (2, 1)
    q2 = PublishedFigure.objects.get(source__title="ircc.tsv", period_key="2019-Q2")
    assert (q2.country, q2.value, q2.rounded_to, q2.measure) == ("KP", 15, 5, "protected_persons_in_canada")


def test_ircc_bad_country_rejects_file():
    data = "EN_YEAR\tEN_COUNTRY_OF_CITIZENSHIP\tTOTAL\n2019\tAtlantis\t5\n".encode()
    with pytest.raises(ImportFileError):
        import_published(actor=None, data=data, filename="ircc.tsv", fmt="ircc")
    assert not PublishedSource.objects.filter(title="ircc.tsv").exists()


def test_import_command(tmp_path: Path, capsys):
    path = tmp_path / "figures.csv"
    path.write_text("source,published,subject,period,measure,value,unit,statement,country,url\n"
                    "Example Post,2021-03-04,Claims,2020,claims,40,claims,forty,KP,https://example.org/a\n")
    call_command("stats", "import-published", str(path), "--format", "curated")
    assert "imported 1 figure(s)" in capsys.readouterr().out
    assert PublishedSource.objects.get(publisher="Example Post").url == "https://example.org/a"
    bad = tmp_path / "bad.csv"
    bad.write_text("source,published\nx,y\n")
    with pytest.raises(CommandError):
        call_command("stats", "import-published", str(bad), "--format", "curated")


def test_seed_files_parse_cleanly():
    for path in seed_paths():
        parsed = parse_curated(read_table(path.read_bytes(), path.name))
        assert parsed.errors == [] and parsed.figures
