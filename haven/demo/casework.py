"""The demo's tasks and appointments (issue 13): each role signs in to real work. The caseworker has overdue,
today's and upcoming tasks; the volunteer a task to complete and an appointment to attend with a Korean
interpreter; the clinic's caseworker a protection claim's tasks. Made through haven.casework.services, audited."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from haven.cases.models import Case
from haven.casework import services
from haven.casework.models import Priority

# (days from today, title, priority): the caseworker's own tasks on the sponsorship organization's cases.
CASEWORKER_TASKS = (
    (-9, "Send the settlement plan to the sponsor group", Priority.HIGH),
    (-4, "Follow up the provincial health card applications", Priority.URGENT),
    (-1, "Call the school board about the children's enrolment", Priority.NORMAL),
    (0, "Check the first month's budget with the sponsor group", Priority.NORMAL),
    (2, "Book the social insurance number appointment", Priority.HIGH),
    (5, "Find a Korean-speaking family doctor", Priority.NORMAL),
    (12, "Register the adults for language assessment (CLB)", Priority.NORMAL),
    (30, "Review the self-sufficiency plan at three months", Priority.LOW),
)
VOLUNTEER_TASKS = (
    (1, "Drive the family to the bank to open an account", Priority.HIGH),
    (6, "Show the family the bus route to the language school", Priority.NORMAL),
)


def _at(today: dt.date, days: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour, 0)))


def add_demo_casework(*, cases: list[Case], caseworker, volunteer, today: dt.date | None = None) -> int:
    """Tasks and appointments on the sponsorship organization's demo cases; returns how many were made."""
    today = today or timezone.localdate()
    open_cases = [case for case in cases if case.status == Case.Status.OPEN] or cases
    group_cases = [case for case in open_cases if case.sponsor_group_id and case.sponsor_group_id in set(
        volunteer.memberships.values_list("team_id", flat=True))]
    made = 0
    for n, (days, title, priority) in enumerate(CASEWORKER_TASKS):
        services.create_task(actor=caseworker, case=open_cases[n % len(open_cases)], title=title,
                             assignee=caseworker, due_on=today + dt.timedelta(days=days), priority=priority)
        made += 1
    if not group_cases:
        return made
    family = group_cases[0]
    for days, title, priority in VOLUNTEER_TASKS:
        services.create_task(actor=caseworker, case=family, title=title, assignee=volunteer,
                             due_on=today + dt.timedelta(days=days), priority=priority)
        made += 1
    members = list(family.household.members.order_by("pk")[:2])
    services.create_appointment(
        actor=caseworker, case=family, title="Bank account opening", starts_at=_at(today, 1, 10),
        ends_at=_at(today, 1, 11), place="Main Street branch", attendees=[caseworker, volunteer],
        household_members=members, interpreter_language="kor")
    services.create_appointment(
        actor=caseworker, case=family, title="Settlement plan review (video call)", starts_at=_at(today, 3, 14),
        ends_at=_at(today, 3, 15), link="https://meet.example.org/settlement-review", attendees=[caseworker],
        household_members=members[:1], interpreter_language="kor")
    return made + 2


def add_clinic_casework(*, cases: list[Case], caseworker, lawyer, today: dt.date | None = None) -> int:
    """Two tasks and a hearing preparation meeting on the clinic's first protection claim case."""
    today = today or timezone.localdate()
    claims = [case for case in cases if case.kind == Case.Kind.PROTECTION_CLAIM] or cases
    if not claims:
        return 0
    case = claims[0]
    services.create_task(actor=caseworker, case=case, title="Collect the country-condition evidence",
                         assignee=caseworker, due_on=today + dt.timedelta(days=3), priority=Priority.HIGH)
    services.create_task(actor=caseworker, case=case, title="Prepare the client for the hearing",
                         assignee=lawyer, due_on=today + dt.timedelta(days=10))
    services.create_appointment(
        actor=caseworker, case=case, title="Hearing preparation", starts_at=_at(today, 4, 9),
        ends_at=_at(today, 4, 11), place="Clinic, room 2", attendees=[caseworker, lawyer],
        household_members=list(case.household.members.order_by("pk")[:1]), interpreter_language="kor")
    return 3
