"""Organizations, their teams (staff teams and sponsor groups) and who holds which role."""
from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.records import Versioned


class User(AbstractUser):
    preferred_language = models.CharField(max_length=8, blank=True, default="")
    # Set with a one-time password (an administrator's reset, a new member, `haven user create`): the password
    # signs in once, then every page asks for a new one until it is chosen.
    must_change_password = models.BooleanField(default=False)

    class Meta:
        db_table = "accounts_user"


def default_time_zone() -> str:
    return settings.TIME_ZONE


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a time zone name such as America/Toronto or America/Vancouver."),
                              code="invalid_time_zone", params={"value": value})


class Organization(models.Model):
    class Kind(models.TextChoices):
        SPONSORSHIP = "sponsorship", _("Sponsorship organization (SAH)")
        LEGAL_CLINIC = "legal_clinic", _("Legal clinic")
        SETTLEMENT = "settlement", _("Settlement agency")

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # "Today" for the organization's records (haven.records.dates): a birth or a referral dated after today
    # there is refused, whatever the server's clock zone.
    time_zone = models.CharField(_("time zone"), max_length=64, default=default_time_zone,
                                 validators=[validate_time_zone],
                                 help_text=_("IANA name, e.g. America/Toronto or America/Vancouver."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A staff team, or a sponsor group (constituent group, Group of Five, ...) of an SAH."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff team")
        SPONSOR_GROUP = "sponsor_group", _("Sponsor group")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STAFF)

    class Meta:
        ordering = ["organization__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="team_unique_name_per_org")]

    def __str__(self) -> str:
        return f"{self.organization} / {self.name}"


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    CASEWORKER = "caseworker", _("Caseworker")
    LEGAL_REP = "legal_rep", _("Legal representative")
    VOLUNTEER = "volunteer", _("Sponsor-group volunteer")
    ANALYST = "analyst", _("Analyst")


# Roles that see every case of their organization, with all its details.
STAFF_ROLES = frozenset({Role.ADMIN, Role.CASEWORKER, Role.LEGAL_REP})


class Membership(Versioned):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships",
                             help_text=_("For volunteers: the sponsor group whose cases they see."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_one_role_per_org"),
            models.CheckConstraint(
                condition=~models.Q(role="volunteer") | models.Q(team__isnull=False),
                name="membership_volunteer_has_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.role}"
