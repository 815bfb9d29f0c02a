"""The private "my work" iCalendar feed: the user's open tasks, the appointments they attend and the open claim
deadlines of the cases assigned to them, each with alarms (VALARM).

It shares the deadline feed's secret (haven.claims.feeds: one token per user, only its hash stored, replaced or
revoked on the calendar page): the same address under /work/ serves this wider feed. Like the deadline feed it
names case and claim references, never a person, since calendar apps copy events to third-party servers; each
fetch is audited as a list of what it showed."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from haven.audit.models import Action
from haven.audit.services import record
from haven.casework.agenda import WorkFilters, month_items

if TYPE_CHECKING:
    from icalendar import Alarm, Event

FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 366
# When each kind of item rings: tasks at 9:00 the day before (all-day events start at midnight), appointments an
# hour before, claim deadlines a week and a day before.
ALARMS = {"task": (dt.timedelta(hours=-15),), "appointment": (dt.timedelta(hours=-1),),
          "deadline": (dt.timedelta(days=-7), dt.timedelta(days=-1))}


def _alarm(trigger: dt.timedelta, summary: str) -> Alarm:
    from icalendar import Alarm  # heavy: loaded when a feed is asked for, not at start

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", trigger)
    return alarm


def _event(item, stamp: dt.datetime) -> Event:
    from icalendar import Event  # heavy: loaded when a feed is asked for, not at start

    event = Event()
    event.add("uid", f"haven-{item.kind}-{item.pk}@haven")
    event.add("dtstamp", stamp)
    summary = f"{item.title} · {item.case_reference}"
    event.add("summary", summary)
    if item.at is not None:
        event.add("dtstart", item.at.astimezone(dt.timezone.utc))
        event.add("dtend", item.ends_at.astimezone(dt.timezone.utc))
        if item.place:
            event.add("location", item.place)
    else:
        event.add("dtstart", item.on)
        event.add("dtend", item.on + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    lines = [f"{item.kind_label} · {_('Case')} {item.case_reference}"]
    if item.interpreter:
        lines.append(_("Interpreter: %(language)s") % {"language": item.interpreter})
    if item.priority:
        lines.append(f"{_('Priority')}: {item.priority}")
    event.add("description", "\n".join(lines))
    for trigger in ALARMS[item.kind]:
        event.add_component(_alarm(trigger, summary))
    return event


def render_work_calendar(user, *, today: dt.date) -> bytes:
    from icalendar import Calendar  # heavy: loaded when a feed is asked for, not at start

    items = [item for item in month_items(user, today=today, first=today - dt.timedelta(days=FEED_DAYS_BACK),
                                          last=today + dt.timedelta(days=FEED_DAYS_AHEAD), filters=WorkFilters())
             if item.is_open]
    record(actor=user, action=Action.LIST, summary="work calendar feed",
           changes={kind: sorted(item.pk for item in items if item.kind == kind)
                    for kind in ("task", "appointment", "deadline")})
    calendar = Calendar()
    calendar.add("prodid", "-//Haven//My work//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Haven: " + _("My work"))
    stamp = timezone.now().astimezone(dt.timezone.utc)
    for item in items:
        calendar.add_component(_event(item, stamp))
    return calendar.to_ical()
