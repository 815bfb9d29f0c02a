"""The tasks and appointments API (haven.api.casework): the pages' access rules, service errors as 400, stale
versions as 412, deletions to the deleted items; every operation of the schema called."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from haven.api.tests.base import ApiTestCase, url
from haven.casework.models import Appointment, Task
from haven.casework.testing import build_work


class TaskApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_work(cls)

    def test_lists_follow_the_access_rules(self):
        expected = {"owner": {self.volunteer_task.pk, self.owner_task.pk},
                    "volunteer": {self.volunteer_task.pk}, "other_volunteer": set(), "outsider": set(),
                    "counsel": {self.volunteer_task.pk, self.owner_task.pk}}
        for persona, tasks in expected.items():
            self.login_as(getattr(self, persona))
            self.assertEqual(set(self.ids(self.client.get(url("task-list")))), tasks, persona)
        self.login_as(self.owner)
        self.assertEqual(self.client.get(url("task-list", case=self.other_case.pk)).status_code, 404)

    def test_read_is_audited_and_hidden_from_strangers(self):
        self.login_as(self.volunteer)
        response = self.client.get(url("task-detail", self.volunteer_task.pk))
        self.assertEqual(response.json()["title"], self.volunteer_task.title)
        self.assertEqual(self.last_audit("view").object_type, "casework.task")
        self.assert_hidden(self.volunteer, url("task-detail", self.owner_task.pk))
        self.assert_hidden(self.other_volunteer, url("task-detail", self.volunteer_task.pk))

    def test_create_with_an_ineligible_assignee_is_400_with_the_message(self):
        self.login_as(self.owner)
        data = {"case": self.case.pk, "title": "Call the landlord", "due_on": timezone.localdate().isoformat()}
        response = self.client.post(url("task-list"), {**data, "assignee": self.outsider.pk}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("cannot be assigned this task", response.json()["assignee"][0])
        response = self.client.post(url("task-list"), {**data, "assignee": self.volunteer.pk}, format="json")
        self.assertEqual(response.status_code, 201)

    def test_the_volunteer_completes_their_task_and_changes_nothing_else(self):
        self.login_as(self.volunteer)
        response = self.client.post(url("task-complete", self.volunteer_task.pk), {"outcome": "Done."},
                                    format="json")
        self.assertEqual((response.status_code, response.json()["status"]), (200, Task.Status.DONE))
        self.assertEqual(self.client.post(url("task-complete", self.owner_task.pk)).status_code, 404)
        self.assertEqual(self.client.post(url("task-reopen", self.volunteer_task.pk)).status_code, 403)
        self.assertEqual(self.client.patch(url("task-detail", self.volunteer_task.pk), {"title": "x"},
                                           format="json").status_code, 403)
        self.assertEqual(self.client.post(url("task-list"), {"case": self.case.pk, "title": "x", "due_on": "2026-01-01",
                                                             "assignee": self.volunteer.pk}, format="json")
                         .status_code, 403)

    def test_change_with_versions_reopen_cancel_delete(self):
        self.login_as(self.owner)
        path = url("task-detail", self.owner_task.pk)
        self.assertEqual(self.client.patch(path, {"title": "New", "version": 1}, format="json").status_code, 200)
        self.assertEqual(self.client.patch(path, {"title": "Newer", "version": 1}, format="json").status_code, 412)
        self.assertEqual(self.client.post(url("task-reopen", self.owner_task.pk)).status_code, 400)  # open already
        response = self.client.post(url("task-cancel", self.owner_task.pk), {"outcome": "Not needed."},
                                    format="json")
        self.assertEqual(response.json()["status"], Task.Status.CANCELLED)
        self.assertEqual(self.client.post(url("task-reopen", self.owner_task.pk)).json()["status"], Task.Status.OPEN)
        self.assertEqual(self.client.delete(url("task-detail", self.owner_task.pk)).status_code, 204)
        self.assertTrue(Task.all_objects.filter(pk=self.owner_task.pk, deleted_at__isnull=False).exists())


class AppointmentApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_work(cls)

    def test_the_volunteer_lists_and_reads_the_appointments_they_attend(self):
        self.login_as(self.volunteer)
        self.assertEqual(self.ids(self.client.get(url("appointment-list"))), [self.volunteer_appointment.pk])
        response = self.client.get(url("appointment-detail", self.volunteer_appointment.pk))
        self.assertEqual(response.json()["interpreter_language"], "kor")
        self.assert_hidden(self.volunteer, url("appointment-detail", self.staff_appointment.pk))

    def test_create_with_an_interpreter_and_the_rules(self):
        self.login_as(self.owner)
        start = timezone.now() + dt.timedelta(days=2)
        data = {"case": self.case.pk, "title": "Lease signing", "starts_at": start.isoformat(),
                "ends_at": (start + dt.timedelta(hours=1)).isoformat(), "place": "Landlord's office",
                "attendees": [self.volunteer.pk], "household_members": [self.person.pk],
                "interpreter_language": "kor"}
        response = self.client.post(url("appointment-list"), data, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        response = self.client.post(url("appointment-list"), {**data, "ends_at": start.isoformat(),
                                                              "household_members": [self.other_person.pk]},
                                    format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"ends_at", "household_members"})

    def test_change_cancel_delete(self):
        self.login_as(self.owner)
        path = url("appointment-detail", self.volunteer_appointment.pk)
        response = self.client.patch(url("appointment-detail", self.volunteer_appointment.pk),
                                     {"place": "Queen Street branch", "version": 1}, format="json")
        self.assertEqual(response.json()["place"], "Queen Street branch")
        self.assertEqual(self.client.patch(path, {"place": "x", "version": 1}, format="json").status_code, 412)
        response = self.client.post(url("appointment-cancel", self.volunteer_appointment.pk))
        self.assertEqual(response.json()["status"], Appointment.Status.CANCELLED)
        self.login_as(self.volunteer)
        self.assertEqual(self.client.delete(path).status_code, 403)
        self.login_as(self.owner)
        self.assertEqual(self.client.delete(url("appointment-detail", self.volunteer_appointment.pk)).status_code,
                         204)
