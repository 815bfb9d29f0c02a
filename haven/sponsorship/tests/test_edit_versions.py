"""Edit conflicts (haven.records.versioning) on settlement plans and sponsor profiles: a save based on a version
someone else has since changed is refused by the service and by the page, and nothing is overwritten."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse

from haven.records import EditConflict
from haven.sponsorship import plans, services
from haven.sponsorship.models import SettlementPlan, SponsorKind, SponsorProfile
from haven.sponsorship.testing import maple_application
from haven.testing.personas import PersonaTestCase


class PlanVersionTests(PersonaTestCase):
    def setUp(self):
        self.application = maple_application(self)
        self.plan = self.application.plan

    def test_stale_plan_save_is_refused_and_overwrites_nothing(self):
        opened = self.plan.version
        plans.update_plan(actor=self.owner, plan=SettlementPlan.objects.get(pk=self.plan.pk), family_size=3,
                          support_starts_on=None, expected_version=opened)
        with self.assertRaises(EditConflict):
            plans.update_plan(actor=self.owner, plan=SettlementPlan.objects.get(pk=self.plan.pk), family_size=5,
                              support_starts_on=None, expected_version=opened)
        self.login_as(self.owner)
        response = self.client.post(reverse("sponsorship:plan_edit", args=[self.application.pk]), {
            "family_size": 6, "support_starts_on": "2025-01-15", "version": opened})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Someone else changed this record", status_code=409)
        self.assertContains(response, f'name="version" value="{opened + 1}"', status_code=409)
        self.plan.refresh_from_db()
        self.assertEqual((self.plan.family_size, self.plan.support_starts_on, self.plan.version), (3, None, opened + 1))
        # Saved again from the refreshed form, the writer's values apply knowingly.
        self.client.post(reverse("sponsorship:plan_edit", args=[self.application.pk]), {
            "family_size": 6, "support_starts_on": "2025-01-15", "version": opened + 1})
        self.plan.refresh_from_db()
        self.assertEqual((self.plan.family_size, self.plan.support_starts_on), (6, dt.date(2025, 1, 15)))


class SponsorProfileVersionTests(PersonaTestCase):
    def test_stale_profile_save_is_refused_and_overwrites_nothing(self):
        profile = services.save_sponsor_profile(actor=self.admin, team=self.group_a, kind=SponsorKind.GROUP_OF_FIVE,
                                                community="Toronto")
        opened = profile.version
        services.save_sponsor_profile(actor=self.admin, team=self.group_a, kind=SponsorKind.GROUP_OF_FIVE,
                                      community="Ottawa", expected_version=opened)
        with self.assertRaises(EditConflict):
            services.save_sponsor_profile(actor=self.admin, team=self.group_a, kind=SponsorKind.GROUP_OF_FIVE,
                                          community="Hamilton", expected_version=opened)
        self.login_as(self.admin)
        response = self.client.post(reverse("sponsorship:sponsor_detail", args=[self.group_a.pk]), {
            "kind": SponsorKind.CONSTITUENT_GROUP, "community": "Kingston", "version": opened})
        self.assertContains(response, "Someone else changed this record", status_code=409)
        self.assertContains(response, "Community of settlement: Ottawa", status_code=409)
        profile = SponsorProfile.objects.get(team=self.group_a)
        self.assertEqual((profile.kind, profile.community, profile.version),
                         (SponsorKind.GROUP_OF_FIVE, "Ottawa", opened + 1))
