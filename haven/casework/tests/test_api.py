"""The tasks and appointments API: same access rules as the pages, service errors as 400, stale versions as 412."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework.test import APIClient

from haven.casework.models import Task
from haven.casework.testing import build_work
from haven.testing.personas import PersonaTestCase


class WorkApiTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_work(cls)

    def api(self, user) -> APIClient:
        client = APIClient()
        self.login_as(user, client)
        return client

    def test_lists_follow_the_access_rules(self):
        expected = {"owner": {self.volunteer_task.pk, self.owner_task.pk},
                    "volunteer": {self.volunteer_task.pk}, "other_volunteer": set(), "outsider": set(),
                    "counsel": {self.volunteer_task.pk, self.owner_task.pk}}
        for persona, tasks in expected.items():
            response = self.api(getattr(self, persona)).get("/api/v1/tasks/")
            self.assertEqual({row["id"] for row in response.json()["results"]}, tasks, persona)
        appointments = self.api(self.volunteer).get("/api/v1/appointments/").json()["results"]
        self.assertEqual([row["id"] for row in appointments], [self.volunteer_appointment.pk])

    def test_create_with_an_ineligible_assignee_is_400_with_the_message(self):
        response = self.api(self.owner).post("/api/v1/tasks/", {
            "case": self.case.pk, "title": "Call the landlord", "assignee": self.outsider.pk,
            "due_on": timezone.localdate().isoformat()}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("assignee", response.json())

    def test_the_volunteer_completes_their_task_but_cannot_create(self):
        client = self.api(self.volunteer)
        response = client.post(f"/api/v1/tasks/{self.volunteer_task.pk}/complete/", {"outcome": "Done."},
                               format="json")
        self.assertEqual((response.status_code, response.json()["status"]), (200, Task.Status.DONE))
        self.assertEqual(client.post(f"/api/v1/tasks/{self.owner_task.pk}/complete/").status_code, 404)
        response = client.post("/api/v1/tasks/", {"case": self.case.pk, "title": "x", "assignee": self.volunteer.pk,
                                                  "due_on": "2026-01-01"}, format="json")
        self.assertEqual(response.status_code, 403)

    def test_a_stale_version_is_412(self):
        client = self.api(self.owner)
        url = f"/api/v1/tasks/{self.owner_task.pk}/"
        self.assertEqual(client.patch(url, {"title": "New", "version": 1}, format="json").status_code, 200)
        self.assertEqual(client.patch(url, {"title": "Newer", "version": 1}, format="json").status_code, 412)

    def test_create_an_appointment_with_an_interpreter(self):
        start = timezone.now() + dt.timedelta(days=2)
        response = self.api(self.owner).post("/api/v1/appointments/", {
            "case": self.case.pk, "title": "Lease signing", "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=1)).isoformat(), "place": "Landlord's office",
            "attendees": [self.volunteer.pk], "household_members": [self.person.pk],
            "interpreter_language": "kor"}, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["interpreter_language"], "kor")
        response = self.api(self.owner).post("/api/v1/appointments/", {
            "case": self.case.pk, "title": "x", "starts_at": start.isoformat(), "ends_at": start.isoformat(),
            "place": "x", "household_members": [self.other_person.pk]}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"ends_at", "household_members"})
