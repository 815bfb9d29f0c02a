"""Dates of things that have happened: a birth, a case's opening, a referral, a recorded step of a claim.

Such a date cannot be after today, and "today" is the organization's (Organization.time_zone), not the server's
or UTC's: at 22:00 in Toronto it is already tomorrow in UTC, and a date that is tomorrow in Toronto has not
happened there yet. Scheduled dates (a hearing, a due date) may be in the future and are not checked here.

The services call `check_not_future`, so a form, the API and an import get the same message; importers that
check many rows compute `today_for(organization)` once and use `future_date_message`."""
from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CODE = "future_date"
# The wording the importers have always used (translated since), now shared by every entry point.
MESSAGE = _("%(date)s is in the future")


def time_zone_of(organization) -> zoneinfo.ZoneInfo:
    """The organization's time zone (the server's, TIME_ZONE, when it has none)."""
    name = getattr(organization, "time_zone", "") or settings.TIME_ZONE
    return zoneinfo.ZoneInfo(name)


def today_for(organization) -> dt.date:
    """Today's date in the organization's time zone."""
    return timezone.now().astimezone(time_zone_of(organization)).date()


def future_date_message(value: dt.date) -> str:
    """The message for a date after today, translated now (row errors are text)."""
    return str(MESSAGE % {"date": value.isoformat()})


def check_not_future(value: dt.date | None, *, organization, field: str, today: dt.date | None = None) -> None:
    """Raise ValidationError({field: ...}) when `value` is after today in the organization's time zone.

    `today` may be passed by a caller that checks several dates at once (today_for(organization))."""
    if value is None:
        return
    if value > (today or today_for(organization)):
        raise ValidationError({field: [ValidationError(MESSAGE, code=CODE, params={"date": value.isoformat()})]})
