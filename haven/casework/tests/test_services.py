"""The rules of tasks and appointments, enforced by the services whoever calls them."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.audit.models import AuditEntry
from haven.casework import services
from haven.casework.models import Task
from haven.casework.testing import build_work
from haven.records import EditConflict
from haven.testing.personas import PersonaTestCase


class TaskServiceTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_work(cls)

    def test_a_task_goes_to_staff_assigned_workers_or_the_groups_volunteers(self):
        today = timezone.localdate()
        for user in (self.owner, self.colleague, self.admin, self.volunteer, self.counsel):
            task = services.create_task(actor=self.owner, case=self.case, title="Call", assignee=user, due_on=today)
            self.assertEqual(task.assignee, user)
        for user in (self.other_volunteer, self.outsider, self.analyst):
            with self.subTest(user=user.username), self.assertRaises(ValidationError) as raised:
                services.create_task(actor=self.owner, case=self.case, title="Call", assignee=user, due_on=today)
            self.assertIn("cannot be assigned this task", raised.exception.message_dict["assignee"][0])

    def test_title_and_due_date_are_required_and_control_characters_refused(self):
        with self.assertRaises(ValidationError) as raised:
            services.create_task(actor=self.owner, case=self.case, title="Bad\x00title", assignee=self.owner,
                                 due_on=None)
        self.assertEqual(set(raised.exception.message_dict), {"title", "due_on"})

    def test_create_writes_its_audit_row(self):
        task = services.create_task(actor=self.owner, case=self.case, title="Find a school", assignee=self.owner,
                                    due_on=timezone.localdate())
        entry = AuditEntry.objects.order_by("-seq").first()
        self.assertEqual((entry.action, entry.object_type, entry.object_id, entry.case_id),
                         ("create", "casework.task", str(task.pk), self.case.pk))

    def test_complete_reopen_cancel(self):
        task = self.owner_task
        services.complete_task(actor=self.owner, task=task, outcome="Booked for Monday.")
        self.assertEqual((task.status, task.outcome), (Task.Status.DONE, "Booked for Monday."))
        self.assertIsNotNone(task.completed_at)
        with self.assertRaises(ValidationError):
            services.complete_task(actor=self.owner, task=task)
        services.reopen_task(actor=self.owner, task=task)
        self.assertEqual((task.status, task.completed_at), (Task.Status.OPEN, None))
        services.cancel_task(actor=self.owner, task=task, outcome="Not needed.")
        self.assertEqual(task.status, Task.Status.CANCELLED)

    def test_only_the_assignee_or_the_case_workers_complete(self):
        with self.assertRaises(ValidationError):
            services.complete_task(actor=self.volunteer, task=self.owner_task)
        services.complete_task(actor=self.volunteer, task=self.volunteer_task)
        self.assertEqual(self.volunteer_task.status, Task.Status.DONE)

    def test_an_edit_based_on_an_old_version_is_a_conflict(self):
        task = self.owner_task
        services.update_task(actor=self.owner, task=task, expected_version=1, title="Book the health card (OHIP)")
        self.assertEqual(task.version, 2)
        stale = Task.objects.get(pk=task.pk)
        stale.version = 1
        with self.assertRaises(EditConflict) as raised:
            services.update_task(actor=self.colleague, task=stale, expected_version=1, title="Other")
        self.assertEqual(raised.exception.current.title, "Book the health card (OHIP)")

    def test_delete_moves_to_the_deleted_items(self):
        services.delete_task(actor=self.owner, task=self.owner_task)
        self.assertFalse(Task.objects.filter(pk=self.owner_task.pk).exists())
        self.assertTrue(Task.all_objects.filter(pk=self.owner_task.pk, deleted_by=self.owner).exists())


class AppointmentServiceTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_work(cls)

    def arguments(self, **overrides):
        start = timezone.now() + dt.timedelta(days=3)
        return {"case": self.case, "title": "School enrolment", "starts_at": start,
                "ends_at": start + dt.timedelta(hours=1), "place": "Maple Elementary",
                "attendees": [self.volunteer], "household_members": [self.child],
                "interpreter_language": "kor", **overrides}

    def test_create_with_an_interpreter(self):
        appointment = services.create_appointment(actor=self.owner, **self.arguments())
        self.assertEqual(appointment.interpreter_language, "kor")
        self.assertEqual(list(appointment.attendees.all()), [self.volunteer])

    def test_the_rules(self):
        start = timezone.now()
        cases = {
            "ends_at": self.arguments(ends_at=start - dt.timedelta(hours=1), starts_at=start),
            "starts_at": self.arguments(starts_at=dt.datetime(2030, 1, 1, 10), ends_at=start),
            "place": self.arguments(place="", link=""),
            "link": self.arguments(link="javascript:alert(1)"),
            "interpreter_language": self.arguments(interpreter_language="xx9"),
            "attendees": self.arguments(attendees=[self.outsider]),
            "household_members": self.arguments(household_members=[self.other_person]),
        }
        for field, arguments in cases.items():
            with self.subTest(field=field), self.assertRaises(ValidationError) as raised:
                services.create_appointment(actor=self.owner, **arguments)
            self.assertIn(field, raised.exception.message_dict)

    def test_update_cancel_delete(self):
        appointment = self.volunteer_appointment
        services.update_appointment(actor=self.owner, appointment=appointment, expected_version=1,
                                    place="Queen Street branch", attendees=[self.owner])
        self.assertEqual((appointment.place, list(appointment.attendees.all())), ("Queen Street branch", [self.owner]))
        with self.assertRaises(EditConflict):
            services.update_appointment(actor=self.owner, appointment=appointment, expected_version=1, title="X")
        services.cancel_appointment(actor=self.owner, appointment=appointment)
        with self.assertRaises(ValidationError):
            services.cancel_appointment(actor=self.owner, appointment=appointment)
        services.delete_appointment(actor=self.owner, appointment=appointment)
        self.assertIsNotNone(type(appointment).all_objects.get(pk=appointment.pk).deleted_at)
