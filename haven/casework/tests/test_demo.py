"""The demo signs each role in to real work (issue 13)."""
from __future__ import annotations

from django.test import TestCase, override_settings
from django.utils import timezone

from haven.accounts.models import User
from haven.casework.agenda import WorkFilters, my_work
from haven.casework.models import Appointment, Task
from haven.demo.services import load_demo


class DemoWorkTests(TestCase):
    @override_settings(DEBUG=True)
    def test_the_caseworker_and_the_volunteer_have_work(self):
        load_demo()
        today = timezone.localdate()
        caseworker = User.objects.get(username="demo-caseworker")
        buckets = {bucket.key: bucket for bucket in my_work(caseworker, today=today, filters=WorkFilters())}
        self.assertGreaterEqual(buckets["overdue"].total, 3)
        self.assertGreaterEqual(buckets["week"].total, 2)
        volunteer = User.objects.get(username="demo-volunteer")
        tasks = Task.objects.filter(assignee=volunteer, status=Task.Status.OPEN)
        self.assertTrue(tasks.exists())
        attended = Appointment.objects.filter(attendees=volunteer)
        self.assertTrue(attended.exclude(interpreter_language="").exists())
        volunteer_work = my_work(volunteer, today=today, filters=WorkFilters())
        shown = {item.pk for bucket in volunteer_work for item in bucket.items if item.kind == "task"}
        self.assertEqual(shown, set(tasks.filter(due_on__lte=today + timezone.timedelta(days=6))
                                    .values_list("pk", flat=True)))
        self.assertTrue(Task.objects.filter(assignee__username="demo-lawyer").exists())
