"""'Today' on pages, feeds and file names is the organization's (haven.records.dates.today_for), not the server's:
at 01:00 in Seoul it is still yesterday evening in Toronto (the server's TIME_ZONE)."""
from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from haven.accounts.models import Organization
from haven.accounts.selectors import today_for_user
from haven.cases.access import visible_cases
from haven.claims.testing import maple_claim
from haven.testing.personas import PersonaTestCase
from haven.transfer.export import export_cases

EARLY_MORNING_IN_SEOUL = "2026-03-01T16:00:00Z"  # 2026-03-02 01:00 in Seoul, 2026-03-01 11:00 in Toronto
SEOUL_TODAY = dt.date(2026, 3, 2)


class OrganizationTodayTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.claim = maple_claim(cls)
        Organization.objects.filter(pk=cls.org.pk).update(time_zone="Asia/Seoul")

    def test_the_claim_page_shows_deadlines_against_the_organizations_today(self):
        self.login_as(self.owner)
        with time_machine.travel(EARLY_MORNING_IN_SEOUL, tick=False):
            response = self.client.get(reverse("claim_detail", args=[self.claim.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["today"], SEOUL_TODAY)

    def test_the_export_file_and_the_users_today_follow_the_organization(self):
        with time_machine.travel(EARLY_MORNING_IN_SEOUL, tick=False):
            self.assertEqual(today_for_user(self.owner), SEOUL_TODAY)
            _, _, filename = export_cases(user=self.owner, cases=visible_cases(self.owner), fmt="csv")
        self.assertEqual(filename, "haven-cases-2026-03-02.csv")
