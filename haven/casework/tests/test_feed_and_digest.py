"""The work calendar feed (validated with the icalendar library, alarms included) and the daily digest, with time
frozen: it fires on the right day and not otherwise."""
from __future__ import annotations

import datetime as dt
import zoneinfo

import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from haven.casework.digest import send_digests
from haven.casework.models import Task
from haven.casework.testing import build_work
from haven.claims import feeds as claim_feeds
from haven.testing.personas import PersonaTestCase

TORONTO = zoneinfo.ZoneInfo("America/Toronto")


class WorkFeedTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_work(cls)

    def feed(self, user):
        token = claim_feeds.create_feed(actor=user)
        response = self.client.get(reverse("casework:feed", kwargs={"token": token}))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        return Calendar.from_ical(response.content)

    def test_the_feed_parses_and_every_event_carries_an_alarm(self):
        calendar = self.feed(self.volunteer)
        events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
        self.assertEqual(set(events), {f"haven-task-{self.volunteer_task.pk}@haven",
                                       f"haven-appointment-{self.volunteer_appointment.pk}@haven"})
        appointment = events[f"haven-appointment-{self.volunteer_appointment.pk}@haven"]
        self.assertEqual(appointment.decoded("dtstart"), self.volunteer_appointment.starts_at)
        self.assertIn("Korean", str(appointment["description"]))
        for event in events.values():
            alarms = event.walk("VALARM")
            self.assertTrue(alarms, event["uid"])
            self.assertTrue(all(alarm["action"] == "DISPLAY" and alarm.decoded("trigger") < dt.timedelta(0)
                                for alarm in alarms))
        task = events[f"haven-task-{self.volunteer_task.pk}@haven"]
        self.assertEqual(task.decoded("dtstart"), self.volunteer_task.due_on)
        self.assertNotIn("Myŏng", calendar.to_ical().decode())  # no person's name

    def test_the_owner_gets_their_tasks_and_appointments_not_the_volunteers_task(self):
        uids = {str(event["uid"]) for event in self.feed(self.owner).walk("VEVENT")}
        self.assertIn(f"haven-task-{self.owner_task.pk}@haven", uids)
        self.assertIn(f"haven-appointment-{self.staff_appointment.pk}@haven", uids)
        self.assertNotIn(f"haven-task-{self.volunteer_task.pk}@haven", uids)

    def test_a_revoked_or_wrong_token_is_404(self):
        token = claim_feeds.create_feed(actor=self.owner)
        claim_feeds.revoke_feed(actor=self.owner)
        self.assertEqual(self.client.get(reverse("casework:feed", kwargs={"token": token})).status_code, 404)
        self.assertEqual(self.client.get(reverse("casework:feed", kwargs={"token": "nope"})).status_code, 404)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class DigestTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for user in (cls.owner, cls.volunteer, cls.colleague):
            user.email = user.username
            user.save(update_fields=["email"])
        cls.volunteer.preferred_language = "ko"
        cls.volunteer.save(update_fields=["preferred_language"])
        # Due on Monday 9 March 2026: in the digest from Tuesday 3 March (six days ahead), not on Monday 2 March.
        cls.task = Task.objects.create(case=cls.case, title="Lease signing", assignee=cls.volunteer,
                                       due_on=dt.date(2026, 3, 9), created_by=cls.owner)

    def run_on(self, day: dt.date) -> list:
        mail.outbox = []
        with time_machine.travel(dt.datetime.combine(day, dt.time(7, 0), tzinfo=TORONTO), tick=False):
            call_command("casework", "digest", stdout=open("/dev/null", "w"))
        return list(mail.outbox)

    def test_it_fires_on_the_right_day_and_not_otherwise(self):
        self.assertEqual(self.run_on(dt.date(2026, 3, 2)), [])  # seven days ahead: not yet
        sent = self.run_on(dt.date(2026, 3, 3))
        self.assertEqual([message.to for message in sent], [[self.volunteer.email]])
        self.assertIn("Lease signing", sent[0].body)
        self.assertEqual(self.run_on(dt.date(2026, 3, 3)), [])  # once a day, however often cron runs it
        overdue = self.run_on(dt.date(2026, 3, 10))
        self.assertEqual(len(overdue), 1)
        self.assertIn("1", overdue[0].subject)
        Task.objects.filter(pk=self.task.pk).update(status=Task.Status.DONE)
        self.assertEqual(self.run_on(dt.date(2026, 3, 11)), [])  # done: nothing to say

    def test_it_is_written_in_the_users_language(self):
        sent = self.run_on(dt.date(2026, 3, 9))
        self.assertIn("오늘", sent[0].body + sent[0].subject)  # the volunteer reads Korean

    def test_appointments_and_deadlines_reach_the_people_concerned(self):
        build_work(self)
        with time_machine.travel(dt.datetime.now(tz=TORONTO), tick=False):
            sent = {message.to[0]: message.body for message in (send_digests() and mail.outbox)}
        self.assertIn(self.volunteer_appointment.title, sent[self.volunteer.email])
        self.assertIn(self.staff_appointment.title, sent[self.owner.email])
        self.assertNotIn(self.staff_appointment.title, sent[self.volunteer.email])
        self.assertNotIn(self.colleague.email, sent)  # nothing for the colleague
