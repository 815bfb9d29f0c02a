"""An analyst opens the claim outcomes page in a real browser, sees the chart and the published
(suppressed and rounded) table, and downloads the table as XLSX."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from haven.accounts.models import Organization, Role
from haven.stats.tests.helpers import make_claim
from haven.testing.factories import MembershipFactory, OrganizationFactory, UserFactory
from haven.testing.personas import PASSWORD


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analyst(transactional_db):
    org = OrganizationFactory(name="Harbour Legal Clinic", slug="harbour", kind=Organization.Kind.LEGAL_CLINIC)
    user = UserFactory(username="analyst@harbour.test")
    MembershipFactory(user=user, organization=org, role=Role.ANALYST)
    for i in range(12):
        make_claim(organization=org, referred="2024-02-01", outcome="accepted" if i < 8 else "",
                   outcome_on="2024-09-01" if i < 8 else None)
    return user


def test_analyst_opens_outcomes_and_downloads_xlsx(live_server, analyst, page, tmp_path):
    base = live_server.url
    page.goto(base + reverse("stats_outcomes"))
    assert page.url.startswith(base + reverse("login"))
    page.fill("#id_username", analyst.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(base + reverse("stats_outcomes"))))
    assert page.locator("h1").first.inner_text() == "Claim outcomes"
    report = page.locator("#report-claim_outcomes")
    assert report.locator("svg.chart rect").count() > 0
    row = report.locator("tbody tr").first
    # Published version: 8 accepted rounds to 10; the 4 pending are suppressed, and so is the 12 referred, from
    # which (with the finalized) a reader could recompute them (secondary suppression, issue 12).
    assert row.locator("td").nth(0).inner_text() == "2024"
    assert row.locator("td").nth(1).inner_text() == "--"
    assert row.locator("td").nth(2).inner_text() == "10"

    with page.expect_download() as info:
        report.get_by_role("link", name="XLSX").click()
    download = info.value
    assert download.suggested_filename.endswith("-published.xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = load_workbook(path).worksheets[0]
    assert [cell.value for cell in sheet[1]][:3] == ["Period", "Referred", "Accepted"]
    assert [cell.value for cell in sheet[2]][:3] == ["2024", "--", 10]
