"""Private iCalendar feeds of deadlines, one per user.

The feed's address carries a random secret; only its SHA-256 is stored, so the
address is shown once, when created. Creating a new one or revoking it makes
the old address answer 404. The feed shows claim and case references and the
rule (a joined member's deadline: the member's number in the claim file), never a person's name, because calendar apps copy events to third-party
servers. Each fetch is audited as a list of the claims shown.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from haven.audit.models import Action
from haven.audit.services import record
from haven.claims.models import CalendarFeed
from haven.claims.selectors import member_tags, visible_deadlines

FEED_DAYS_AHEAD = 366
FEED_DAYS_BACK = 30


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def create_feed(*, actor) -> str:
    """Create or replace the user's feed; returns the secret token (shown once)."""
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.update_or_create(user=actor, defaults={"token_hash": _hash(token),
                                                                                "last_used_at": None})
    record(actor=actor, action=Action.SECURITY, obj=feed, summary="deadline calendar feed " +
           ("created" if created else "replaced"))
    return token


@transaction.atomic
def revoke_feed(*, actor) -> None:
    feed = CalendarFeed.objects.filter(user=actor).first()
    if feed is not None:
        record(actor=actor, action=Action.SECURITY, obj=feed, summary="deadline calendar feed revoked")
        feed.delete()


def feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def user_for_token(token: str):
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


def _escape(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 line folding at 75 octets."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def render_calendar(user, *, today: dt.date) -> str:
    rows = list(visible_deadlines(user, today=today, ahead_days=FEED_DAYS_AHEAD, overdue_days=FEED_DAYS_BACK))
    record(actor=user, action=Action.LIST, summary="deadline calendar feed",
           changes={"claim_ids": sorted({row.claim_id for row in rows})})
    stamp = timezone.now().astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Haven//Deadlines//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "X-WR-CALNAME:Haven deadlines"]
    # A joined member's own deadline says whose by the member's number in the claim file: the feed carries no name.
    tags = member_tags(rows)
    for row in rows:
        summary = f"{row.rule.label} · {row.claim.reference}{tags.get(row.pk, '')}"
        description = f"{row.rule.citation}\nCase {row.case.reference}. Triggered by {row.trigger} on " \
                      f"{row.trigger_on.isoformat()}."
        lines += [
            "BEGIN:VEVENT",
            f"UID:haven-deadline-{row.pk}-{row.due_on:%Y%m%d}@haven",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{row.due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{row.due_on + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
