"""The daily e-mail digest: `haven casework digest` (run from cron, as `haven deadlines remind` is) mails each user
their overdue tasks, and their tasks, appointments and claim deadlines of today and the coming six days, in their
preferred language.

Whose items: tasks assigned to the user; appointments they attend; open claim deadlines of the cases assigned to
them (as the deadline reminders choose). A user with nothing to do gets no mail. One digest per user and day
(DigestSent), so the command may run hourly; the references and titles of the mail name no person.

Built for thousands of users: one query per kind of item for everyone, grouped in memory, and the mails sent
over one connection."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.cases.models import CaseAssignment
from haven.casework.models import Appointment, DigestSent, Task
from haven.casework.selectors import OPEN_STATUSES, day_bounds
from haven.claims.labels import member_tag, rule_label
from haven.claims.models import Deadline, DeadlineRule
from haven.claims.selectors import member_numbers
from haven.people.codes import language_name

WEEK_DAYS = 6
OVERDUE_DAYS = 90  # older overdue tasks stay on the "my work" page, but stop filling the mail


@dataclass
class Digest:
    user: User
    tasks: list[Task] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.tasks or self.appointments or self.deadlines)


def _recipients(today: dt.date) -> dict[int, Digest]:
    """Every active user with an e-mail address who has not had today's digest."""
    already = DigestSent.objects.filter(sent_on=today).values("user_id")
    users = (User.objects.filter(is_active=True).exclude(email="").exclude(pk__in=already)
             .only("pk", "email", "username", "first_name", "last_name", "preferred_language"))
    return {user.pk: Digest(user) for user in users}


def collect(today: dt.date) -> list[Digest]:
    """Each recipient's items: three queries (tasks, appointments, deadlines) plus one for the recipients."""
    digests = _recipients(today)
    last = today + dt.timedelta(days=WEEK_DAYS)
    for task in (Task.objects.filter(status__in=OPEN_STATUSES, due_on__lte=last,
                                     due_on__gte=today - dt.timedelta(days=OVERDUE_DAYS),
                                     assignee__is_active=True)
                 .select_related("case").only("pk", "title", "due_on", "priority", "assignee_id", "case__reference")
                 .order_by("due_on", "pk")):
        if task.assignee_id in digests:
            digests[task.assignee_id].tasks.append(task)
    start, end = day_bounds(today, last)
    through = Appointment.attendees.through.objects.filter(
        appointment__status=Appointment.Status.SCHEDULED, appointment__deleted_at__isnull=True,
        appointment__starts_at__gte=start, appointment__starts_at__lt=end).select_related(
        "appointment", "appointment__case").order_by("appointment__starts_at", "appointment_id")
    for row in through:
        if row.user_id in digests:
            digests[row.user_id].appointments.append(row.appointment)
    _add_deadlines(digests, today, last)
    return [digest for digest in digests.values() if digest]


def _add_deadlines(digests: dict[int, Digest], today: dt.date, last: dt.date) -> None:
    deadlines = list(Deadline.objects.filter(completed_on__isnull=True, due_on__gte=today, due_on__lte=last)
                     .exclude(rule__responsible=DeadlineRule.Responsible.INFORMATION)
                     .select_related("rule", "claim", "case").order_by("due_on", "pk"))
    # A joined member's own deadline is named by the member's number in the claim file (no names in e-mails); the
    # numbers cost a query only when there is one.
    numbers = member_numbers(deadline.claimant_id for deadline in deadlines)
    by_case = defaultdict(list)
    for deadline in deadlines:
        deadline.member_number = numbers.get(deadline.claimant_id)
        by_case[deadline.case_id].append(deadline)
    if not by_case:
        return
    for case_id, user_id in CaseAssignment.objects.filter(case_id__in=by_case.keys()).values_list("case_id",
                                                                                                 "user_id"):
        if user_id in digests:
            digests[user_id].deadlines.extend(by_case[case_id])


def render(digest: Digest, today: dt.date) -> tuple[str, str]:
    """The subject and body, in the active language."""
    overdue = [task for task in digest.tasks if task.due_on < today]
    due = [task for task in digest.tasks if task.due_on >= today]
    lines = [_("Your Haven work for %(date)s.") % {"date": today.isoformat()}, ""]
    if overdue:
        lines += [_("Overdue tasks:")] + [_task_line(task) for task in overdue] + [""]
    if due:
        lines += [_("Tasks due today and this week:")] + [_task_line(task) for task in due] + [""]
    if digest.appointments:
        lines.append(_("Appointments:"))
        for appointment in digest.appointments:
            when = timezone.localtime(appointment.starts_at).strftime("%Y-%m-%d %H:%M")
            line = f"{when}  {appointment.title} · {appointment.case.reference}"
            if appointment.interpreter_language:
                line += " · " + _("Interpreter: %(language)s") % {
                    "language": language_name(appointment.interpreter_language)}
            lines.append(line)
        lines.append("")
    if digest.deadlines:
        lines.append(_("Claim deadlines:"))
        lines += [f"{d.due_on.isoformat()}  {rule_label(d.rule.label)} · {d.claim.reference}"
                  f"{' · ' + member_tag(d.member_number) if getattr(d, 'member_number', None) else ''} · "
                  f"{d.case.reference}" for d in digest.deadlines]
    count = len(digest.tasks) + len(digest.appointments) + len(digest.deadlines)
    subject = _("Haven: %(count)d item(s) of work, %(overdue)d overdue") % {"count": count, "overdue": len(overdue)}
    return subject, "\n".join(lines).strip() + "\n"


def _task_line(task: Task) -> str:
    return f"{task.due_on.isoformat()}  {task.title} · {task.case.reference} · {task.get_priority_display()}"


def send_digests(*, today: dt.date | None = None) -> int:
    """Send today's digests; returns the number of e-mails sent."""
    today = today or timezone.localdate()
    digests = collect(today)
    messages = []
    for digest in digests:
        with translation.override(digest.user.preferred_language or settings.LANGUAGE_CODE):
            subject, body = render(digest, today)
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [digest.user.email]))
    if not messages:
        return 0
    with transaction.atomic():
        try:
            DigestSent.objects.bulk_create([DigestSent(user=digest.user, sent_on=today) for digest in digests])
        except IntegrityError:
            return 0  # another run is sending today's digests
        connection = get_connection()
        return connection.send_messages(messages) or 0
