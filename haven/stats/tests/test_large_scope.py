"""The outcome table read for a large scope gives the same rows as for a small one.

On SQLite a scope of more than SQLITE_INDEX_SCOPE_LIMIT cases is counted from the covering indexes, grouped by
date and then by period (and checked against the cases outside the scope when those are fewer): the limit is
lowered here so that the hand-built claims of test_outcomes take that path. On PostgreSQL both reads are the
same query and the comparison holds trivially."""
import pytest
from django.db import connection

from haven.accounts.models import Organization
from haven.cases.models import Case
from haven.stats import selectors
from haven.stats.selectors import claims_in, outcome_table
from haven.stats.tests.helpers import build_outcome_fixture, make_claim

pytestmark = pytest.mark.django_db

SHAPES = [(by, by_country, country) for by in ("year", "quarter") for by_country in (False, True)
          for country in ("", "KP", "CN")]


def tables(cases):
    return {shape: outcome_table(claims_in(cases, shape[2]), by=shape[0], by_country=shape[1])
            for shape in SHAPES}


def org(slug):
    return Organization.objects.create(name=slug, slug=slug, kind="legal_clinic")


def test_large_scope_covering_the_database_matches_the_small_scope_read(monkeypatch):
    build_outcome_fixture()
    expected = tables(Case.objects.all())
    assert expected[("year", False, "KP")][1]["referred"] == 8  # the hand-built figures (see test_outcomes)
    monkeypatch.setattr(selectors, "SQLITE_INDEX_SCOPE_LIMIT", 0)
    claims = claims_in(Case.objects.all())
    if connection.vendor == "sqlite":
        assert claims._stats_scope[2], "the large-scope read is in use"
        assert claims._stats_scope[3] is not None and not claims._stats_scope[3].exists()  # nothing outside
    assert tables(Case.objects.all()) == expected


def test_large_scope_leaves_out_the_claims_of_other_organizations(monkeypatch):
    mine, other = org("mine"), org("other")
    build_outcome_fixture(organization=mine)
    expected = tables(Case.objects.filter(organization=mine))
    # Claims outside the scope, on the boundary dates of the fixture.
    for referred, outcome, outcome_on in [("2023-12-31", "accepted", "2024-01-01"), ("2024-03-31", "", None),
                                          ("2024-07-01", "abandoned", "2024-09-30")]:
        make_claim(organization=other, referred=referred, outcome=outcome, outcome_on=outcome_on)
    assert tables(Case.objects.filter(organization=mine)) == expected
    monkeypatch.setattr(selectors, "SQLITE_INDEX_SCOPE_LIMIT", 0)
    # Fewer cases outside the scope than inside: the claims are checked against the outside ones.
    scope = Case.objects.filter(organization=mine)
    if connection.vendor == "sqlite":
        assert claims_in(scope)._stats_scope[3] is not None
    assert tables(scope) == expected
    # More cases outside than inside: checked against the inside ones.
    for _ in range(12):
        make_claim(organization=other, country="KP", referred="2024-05-05")
    if connection.vendor == "sqlite":
        assert claims_in(scope)._stats_scope[2] and claims_in(scope)._stats_scope[3] is None
    assert tables(scope) == expected
    everything = tables(Case.objects.all())
    assert everything[("year", False, "KP")] != expected[("year", False, "KP")]
