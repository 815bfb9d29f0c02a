"""Reminder e-mails: `haven deadlines remind` mails each worker assigned to a case the open deadlines of its
claims due within HAVEN_DEADLINE_REMINDER_DAYS days (7 by default). A reminder is sent once per user,
deadline and due date (a recomputed, later due date is reminded again), so the command can run hourly.

The e-mail carries claim and case references, the rule, the due date and its citation (a joined member's deadline:
the member's number in the claim file): no names."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.cases.models import CaseAssignment
from haven.claims.labels import rule_label
from haven.claims.models import Deadline, DeadlineRule, ReminderSent
from haven.claims.selectors import member_tags


def reminder_days() -> int:
    return int(getattr(settings, "HAVEN_DEADLINE_REMINDER_DAYS", 7))


def send_reminders(*, days: int | None = None, today: dt.date | None = None) -> int:
    """Send the due reminders; returns the number of e-mails sent."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=reminder_days() if days is None else days)
    due = list(Deadline.objects.filter(completed_on__isnull=True, due_on__gte=today, due_on__lte=horizon)
               .exclude(rule__responsible=DeadlineRule.Responsible.INFORMATION)
               .select_related("rule", "claim", "case").order_by("due_on", "pk"))
    if not due:
        return 0
    recipients = defaultdict(list)
    assignments = CaseAssignment.objects.filter(case_id__in={d.case_id for d in due},
                                                user__is_active=True).select_related("user")
    by_case = defaultdict(list)
    for assignment in assignments:
        if assignment.user.email:
            by_case[assignment.case_id].append(assignment.user)
    tags = member_tags(due)
    already = set(ReminderSent.objects.filter(deadline__in=due).values_list("user_id", "deadline_id", "due_on"))
    for deadline in due:
        for user in by_case.get(deadline.case_id, ()):
            if (user.pk, deadline.pk, deadline.due_on) not in already:
                recipients[user].append(deadline)
    sent = 0
    for user, deadlines in recipients.items():
        lines = [_("Deadlines in your Haven cases due by %(date)s:") % {"date": horizon.isoformat()}, ""]
        for d in deadlines:
            lines.append(f"{d.due_on.isoformat()}  {rule_label(d.rule.label)} · {_('claim')} {d.claim.reference}"
                         f"{tags.get(d.pk, '')} · {_('case')} {d.case.reference}")
            lines.append(f"            {d.rule.citation} · {reverse('claim_detail', kwargs={'pk': d.claim_id})}")
        with transaction.atomic():
            try:
                ReminderSent.objects.bulk_create([ReminderSent(user=user, deadline=d, due_on=d.due_on)
                                                  for d in deadlines])
            except IntegrityError:
                continue  # another run sent them meanwhile
            send_mail(_("Haven: %(count)d deadline(s) coming up") % {"count": len(deadlines)}, "\n".join(lines),
                      settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent
