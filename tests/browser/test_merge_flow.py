"""In a real browser: a caseworker merges two records of one person from the duplicate review, confirming after
seeing what will move; the absorbed record is marked "merged" with a link to the kept one and is gone from the
household; un-merging puts it back."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from haven.accounts.models import Organization, Role
from haven.matching.models import MatchCandidate
from haven.testing.factories import (
    CaseFactory,
    HouseholdFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)
from haven.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def candidate(transactional_db):
    org = OrganizationFactory(name="Maple Sponsorship Society", slug="maple", kind=Organization.Kind.SPONSORSHIP)
    user = UserFactory(username="caseworker@maple.test")
    MembershipFactory(user=user, organization=org, role=Role.CASEWORKER)
    household = HouseholdFactory(organization=org, reference="HH-301", name="Ri family")
    CaseFactory(household=household, organization=org, reference="MSS-301")
    kept = PersonFactory(household=household, family_name="Ri", given_name="Myŏng-ch'ŏl",
                         birth_date=dt.date(1985, 3, 14), relationship="principal")
    duplicate = PersonFactory(household=household, family_name="Lee", given_name="Myung-chul",
                              family_name_hangul="", given_name_hangul="", birth_date=dt.date(1985, 3, 14),
                              relationship="other_relative")
    return MatchCandidate.objects.create(organization=org, person_a=kept, person_b=duplicate,
                                         match_probability=0.97, match_weight=8.5, comparisons=[])


def test_merge_marks_the_absorbed_person_and_unmerge_restores_them(live_server, candidate, page):
    base = live_server.url
    review = base + reverse("matching:candidate", args=[candidate.pk])
    household = base + reverse("household_detail", args=[candidate.person_a.household_id])
    page.goto(review)
    page.fill("#id_username", "caseworker@maple.test")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(review) + "$"))

    page.get_by_role("button", name="Same person: keep A, merge B into it").click()
    page.wait_for_url(re.compile(r".*/merge/\?keep=a$"))
    assert "Lee Myung-chul will be merged into" in page.locator("main").inner_text()
    assert "Name added as another spelling: Lee Myung-chul" in page.locator("main").inner_text()
    page.get_by_role("button", name="Merge", exact=True).click()
    page.wait_for_url(re.compile(r".*/matching/merges/\d+/$"))

    page.get_by_role("link", name="Lee Myung-chul").click()
    assert "merged" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Ri Myŏng-ch'ŏl").first.click()  # the kept person, through the mark's link
    page.wait_for_url(base + reverse("person_detail", args=[candidate.person_a_id]))
    page.goto(household)
    members = page.locator("#members-heading + table")
    assert "Ri Myŏng-ch'ŏl" in members.inner_text() and "Myung-chul" not in members.inner_text()

    page.goto(base + reverse("person_detail", args=[candidate.person_b_id]))
    page.get_by_role("link", name="The merge, and how to undo it").click()
    page.get_by_role("button", name="Undo this merge").click()
    page.wait_for_selector("text=The merge was undone.")
    page.goto(household)
    assert "Myung-chul" in page.locator("#members-heading + table").inner_text()
