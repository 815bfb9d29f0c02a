"""Edit conflicts (haven.records.versioning) on providers and goals: a save based on a version someone else has since
changed is refused by the service, the page (409, naming the stored values) and the API (412 on a stale If-Match),
and nothing is overwritten."""
from __future__ import annotations

from django.urls import reverse

from haven.api.tests.base import ApiTestCase, url
from haven.records import EditConflict
from haven.settlement import services
from haven.settlement.models import Goal, Provider
from haven.settlement.testing import maple_settlement


class ProviderVersionTests(ApiTestCase):
    def setUp(self):
        maple_settlement(self)

    def test_stale_provider_save_is_refused_and_overwrites_nothing(self):
        opened = self.provider.version
        services.update_provider(actor=self.owner, provider=Provider.objects.get(pk=self.provider.pk),
                                 languages="Korean", expected_version=opened)
        with self.assertRaises(EditConflict):
            services.update_provider(actor=self.owner, provider=Provider.objects.get(pk=self.provider.pk),
                                     languages="Arabic", expected_version=opened)
        self.login_as(self.owner)
        response = self.client.post(reverse("settlement_provider_edit", args=[self.provider.pk]), {
            "name": "Maple Language Centre", "kind": Provider.Kind.LANGUAGE_CLASSES, "languages": "Tigrinya",
            "version": opened})
        self.assertContains(response, "Languages served: Korean", status_code=409)
        stale_api = self.client.patch(url("provider-detail", self.provider.pk), {"languages": "Dari"}, format="json",
                                      headers={"If-Match": f'"provider-{self.provider.pk}-v{opened}"'})
        self.assertEqual(stale_api.status_code, 412)
        self.provider.refresh_from_db()
        self.assertEqual((self.provider.languages, self.provider.version), ("Korean", opened + 1))
        fresh_api = self.client.patch(url("provider-detail", self.provider.pk), {"languages": "Dari"}, format="json",
                                      headers={"If-Match": f'"provider-{self.provider.pk}-v{opened + 1}"'})
        self.assertEqual(fresh_api["ETag"], f'"provider-{self.provider.pk}-v{opened + 2}"')


class GoalVersionTests(ApiTestCase):
    def setUp(self):
        maple_settlement(self)

    def test_stale_goal_save_is_refused_and_overwrites_nothing(self):
        opened = self.goal.version
        services.update_goal(actor=self.owner, goal=Goal.objects.get(pk=self.goal.pk), description="Reach CLB 5",
                             expected_version=opened)
        with self.assertRaises(EditConflict):
            services.update_goal(actor=self.owner, goal=Goal.objects.get(pk=self.goal.pk),
                                 description="Reach CLB 6", expected_version=opened)
        self.login_as(self.owner)
        response = self.client.post(reverse("settlement_goal_edit", args=[self.goal.pk]), {
            "domain": "language", "description": "Reach CLB 7", "status": "open", "version": opened})
        self.assertContains(response, "Goal: Reach CLB 5", status_code=409)
        stale_api = self.client.patch(url("goal-detail", self.goal.pk), {"description": "Reach CLB 8"}, format="json",
                                      headers={"If-Match": f'"goal-{self.goal.pk}-v{opened}"'})
        self.assertEqual(stale_api.status_code, 412)
        self.goal.refresh_from_db()
        self.assertEqual((self.goal.description, self.goal.version), ("Reach CLB 5", opened + 1))
