"""Tasks and appointments of the personas' Maple case (haven.testing.personas), made through the ORM so that tests
of the services count only their own audit rows."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from haven.casework.models import Appointment, Priority, Task


def build_work(t) -> None:
    """On the Maple case: the volunteer's task, the owner's task, an appointment the volunteer attends (with a
    Korean interpreter) and one only the owner attends."""
    today = timezone.localdate()
    t.volunteer_task = Task.objects.create(case=t.case, title="Drive the family to the bank", assignee=t.volunteer,
                                           due_on=today, created_by=t.owner)
    t.owner_task = Task.objects.create(case=t.case, title="Book the health card appointment", assignee=t.owner,
                                       due_on=today - dt.timedelta(days=2), priority=Priority.HIGH,
                                       created_by=t.owner)
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    t.volunteer_appointment = Appointment.objects.create(
        case=t.case, title="Bank account opening", starts_at=start, ends_at=start + dt.timedelta(hours=1),
        place="Main Street branch", interpreter_language="kor", created_by=t.owner)
    t.volunteer_appointment.attendees.set([t.owner, t.volunteer])
    t.volunteer_appointment.household_members.set([t.person])
    t.staff_appointment = Appointment.objects.create(
        case=t.case, title="Trauma counselling intake", starts_at=start + dt.timedelta(days=1),
        ends_at=start + dt.timedelta(days=1, hours=1), link="https://meet.example.org/intake", created_by=t.owner)
    t.staff_appointment.attendees.set([t.owner])
