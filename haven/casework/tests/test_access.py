"""Each persona and each kind of task and appointment: who sees it, who changes it, who completes it; everyone
else gets 404, exactly as for a record that does not exist."""
from __future__ import annotations

from django.urls import reverse

from haven.casework.models import Task
from haven.casework.testing import build_work
from haven.testing.personas import PersonaTestCase

#                       out ovol anal  vol cnsl coll  own  adm
READ_VOLUNTEER_ITEM = (404, 404, 404, 200, 200, 200, 200, 200)
READ_STAFF_ITEM = (404, 404, 404, 404, 200, 200, 200, 200)
EDIT = (404, 404, 404, 404, 200, 200, 200, 200)
PERSONAS = ("outsider", "other_volunteer", "analyst", "volunteer", "counsel", "colleague", "owner", "admin")


class WorkAccessTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_work(cls)

    def statuses(self, url_name, pk, method="get", data=None):
        result = []
        for persona in PERSONAS:
            self.login_as(getattr(self, persona))
            response = getattr(self.client, method)(reverse(url_name, kwargs={"pk": pk}), data or {})
            result.append(response.status_code)
        return tuple(result)

    def test_reading_each_kind(self):
        self.assertEqual(self.statuses("casework:task_detail", self.volunteer_task.pk), READ_VOLUNTEER_ITEM)
        self.assertEqual(self.statuses("casework:task_detail", self.owner_task.pk), READ_STAFF_ITEM)
        self.assertEqual(self.statuses("casework:appointment_detail", self.volunteer_appointment.pk),
                         READ_VOLUNTEER_ITEM)
        self.assertEqual(self.statuses("casework:appointment_detail", self.staff_appointment.pk), READ_STAFF_ITEM)

    def test_editing_each_kind_is_for_the_case_workers(self):
        for url_name, pk in (("casework:task_edit", self.volunteer_task.pk), ("casework:task_edit", self.owner_task.pk),
                             ("casework:appointment_edit", self.volunteer_appointment.pk),
                             ("casework:appointment_edit", self.staff_appointment.pk)):
            with self.subTest(url_name=url_name, pk=pk):
                self.assertEqual(self.statuses(url_name, pk), EDIT)

    def test_the_volunteer_completes_their_own_task_only(self):
        self.login_as(self.volunteer)
        response = self.client.post(reverse("casework:task_complete", kwargs={"pk": self.owner_task.pk}))
        self.assertEqual(response.status_code, 404)
        response = self.client.post(reverse("casework:task_complete", kwargs={"pk": self.volunteer_task.pk}),
                                    {"outcome": "Account opened."})
        self.assertEqual(response.status_code, 302)
        self.volunteer_task.refresh_from_db()
        self.assertEqual((self.volunteer_task.status, self.volunteer_task.outcome, self.volunteer_task.completed_by),
                         (Task.Status.DONE, "Account opened.", self.volunteer))
        # ... but may not reopen, cancel or delete it: those are the case workers'.
        for name in ("task_reopen", "task_cancel", "task_delete"):
            self.assertEqual(self.client.post(reverse(f"casework:{name}", kwargs={"pk": self.volunteer_task.pk}))
                             .status_code, 404)

    def test_outsiders_never_see_the_work_in_lists(self):
        for persona in ("outsider", "other_volunteer", "analyst"):
            self.login_as(getattr(self, persona))
            body = self.client.get(reverse("casework:my_work"), {"assignee": "all"}).content.decode()
            for item in (self.volunteer_task, self.owner_task, self.volunteer_appointment, self.staff_appointment):
                self.assertNotIn(item.title, body, persona)

    def test_the_volunteer_sees_their_own_work_and_nothing_else_of_the_family(self):
        self.login_as(self.volunteer)
        body = self.client.get(reverse("casework:my_work"), {"assignee": "all"}).content.decode()
        self.assertIn(self.volunteer_task.title, body)
        self.assertIn(self.volunteer_appointment.title, body)
        self.assertNotIn(self.owner_task.title, body)
        self.assertNotIn(self.staff_appointment.title, body)
        case_page = self.client.get(reverse("casework:case_work", kwargs={"case_pk": self.case.pk}))
        self.assertEqual(case_page.status_code, 200)
        self.assertNotContains(case_page, self.owner_task.title)
        self.assertNotContains(case_page, "Add a task")

    def test_the_caseworker_sees_every_task_of_the_case(self):
        self.login_as(self.owner)
        page = self.client.get(reverse("casework:case_work", kwargs={"case_pk": self.case.pk}))
        for item in (self.volunteer_task, self.owner_task, self.volunteer_appointment, self.staff_appointment):
            self.assertContains(page, item.title)
        mine = self.client.get(reverse("casework:my_work")).content.decode()
        self.assertIn(self.owner_task.title, mine)  # overdue, assigned to the owner
        self.assertNotIn(self.volunteer_task.title, mine)  # the volunteer's, not the owner's


class WorkFormTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_work(cls)

    def test_create_a_task_through_the_form_with_the_services_message(self):
        self.login_as(self.owner)
        url = reverse("casework:task_create", kwargs={"case_pk": self.case.pk})
        response = self.client.post(url, {"title": "Enrol the children", "assignee": self.volunteer.pk,
                                          "due_on": "2026-09-01", "priority": "high"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Task.objects.filter(title="Enrol the children", assignee=self.volunteer).exists())

    def test_an_edit_over_someone_elses_is_refused_and_shown_again(self):
        self.login_as(self.owner)
        url = reverse("casework:task_edit", kwargs={"pk": self.owner_task.pk})
        form = {"title": "First edit", "assignee": self.owner.pk, "due_on": "2026-09-01", "priority": "normal",
                "version": 1}
        self.assertEqual(self.client.post(url, form).status_code, 302)
        response = self.client.post(url, {**form, "title": "Second edit, from an old page"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Someone else changed this record")
        self.owner_task.refresh_from_db()
        self.assertEqual((self.owner_task.title, self.owner_task.version), ("First edit", 2))
        self.assertEqual(response.context["form"].data["version"], 2)  # "apply my changes again" saves
        self.assertEqual(self.client.post(url, {**form, "title": "Second edit", "version": 2}).status_code, 302)
