"""The settlement endpoints: every operation, as staff and as the case's volunteer (practical details only)."""
from __future__ import annotations

from haven.api.tests.base import NOT_FOUND, ApiTestCase, url
from haven.settlement.models import Goal, Milestone, Provider, Referral
from haven.settlement.testing import maple_settlement


class SettlementApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        maple_settlement(cls)

    def test_assessments(self):
        self.login_as(self.owner)
        created = self.client.post(url("assessment-list"), {
            "case": self.case.pk, "kind": "follow_up", "assessed_on": "2025-06-01",
            "ratings": [{"domain": "language", "level": 3, "clb_speaking": 4}]}, format="json")
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["ratings"][0]["clb_speaking"], 4)
        self.assertEqual(len(self.ids(self.client.get(url("assessment-list", case=self.case.pk)))), 2)
        self.assertEqual(self.client.get(url("assessment-detail", self.assessment.pk)).status_code, 200)
        self.login_as(self.volunteer)
        self.assertEqual(self.client.delete(url("assessment-detail", self.assessment.pk)).status_code, 403)
        self.login_as(self.owner)
        self.assertEqual(self.client.delete(url("assessment-detail", self.assessment.pk)).status_code, 204)

    def test_goals(self):
        self.login_as(self.owner)
        created = self.client.post(url("goal-list"), {"case": self.case.pk, "domain": "housing",
                                                      "description": "Find a flat near the school"}, format="json")
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(self.client.get(url("goal-detail", self.goal.pk)).status_code, 200)
        changed = self.client.patch(url("goal-detail", self.goal.pk), {"status": "achieved",
                                                                       "achieved_on": "2025-06-01"}, format="json")
        self.assertEqual(changed.json()["status_label"], "Achieved")
        missing_date = self.client.patch(url("goal-detail", self.health_goal.pk), {"status": "achieved"},
                                         format="json")
        self.assertEqual(missing_date.status_code, 400)
        self.assertIn("achieved_on", missing_date.json())
        self.login_as(self.volunteer)
        listed = self.ids(self.client.get(url("goal-list", case=self.case.pk)))
        self.assertNotIn(self.health_goal.pk, listed)
        self.login_as(self.owner)
        self.assertEqual(self.client.delete(url("goal-detail", self.goal.pk)).status_code, 204)
        self.assertFalse(Goal.objects.filter(pk=self.goal.pk).exists())

    def test_referrals(self):
        self.login_as(self.owner)
        created = self.client.post(url("referral-list"), {"case": self.case.pk, "provider": self.provider.pk,
                                                          "domain": "language", "referred_on": "2025-04-01"},
                                   format="json")
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(len(self.ids(self.client.get(url("referral-list", case=self.case.pk)))), 2)
        self.assertEqual(self.client.get(url("referral-detail", self.referral.pk)).json()["provider_name"],
                         "Maple Language Centre")
        changed = self.client.patch(url("referral-detail", self.referral.pk),
                                    {"status": "completed", "changed_on": "2025-05-01"}, format="json")
        self.assertEqual(changed.json()["status"], "completed")
        self.assertEqual(self.client.delete(url("referral-detail", self.referral.pk)).status_code, 204)
        self.assertFalse(Referral.objects.filter(pk=self.referral.pk).exists())

    def test_milestones_and_plan(self):
        self.login_as(self.owner)
        self.assertEqual(self.client.post(url("milestone-list"), {"case": self.case.pk, "kind": "sin",
                                                                  "done_on": "2025-03-01"}, format="json").status_code,
                         201)
        self.assertEqual(len(self.ids(self.client.get(url("milestone-list", case=self.case.pk)))), 2)
        self.assertEqual(self.client.get(url("milestone-detail", self.milestone.pk)).json()["kind"], "arrival")
        plan = self.client.get(url("plan-detail", self.case.pk)).json()
        self.assertFalse(plan["self_sufficiency"]["reached"])
        self.assertEqual([row["kind"] for row in plan["milestones"]][:2], ["arrival", "sin"])
        self.assertEqual(self.client.delete(url("milestone-detail", self.milestone.pk)).status_code, 204)
        self.assertFalse(Milestone.objects.filter(pk=self.milestone.pk).exists())
        self.login_as(self.outsider)
        self.assertEqual(self.client.get(url("plan-detail", self.case.pk)).status_code, NOT_FOUND)

    def test_providers(self):
        self.login_as(self.colleague)
        created = self.client.post(url("provider-list"), {"organization": self.org.pk, "name": "Jobs Now",
                                                          "kind": "employment_program"}, format="json")
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(len(self.ids(self.client.get(url("provider-list")))), 2)
        self.assertEqual(self.client.get(url("provider-detail", self.provider.pk)).status_code, 200)
        changed = self.client.patch(url("provider-detail", self.provider.pk), {"languages": "Korean"},
                                    format="json")
        self.assertEqual(changed.json()["languages"], "Korean")
        self.assertEqual(self.client.delete(url("provider-detail", self.provider.pk)).status_code, 204)
        self.assertFalse(Provider.objects.filter(pk=self.provider.pk).exists())
        self.login_as(self.outsider)
        self.assertEqual(self.client.get(url("provider-detail", self.provider.pk)).status_code, NOT_FOUND)
