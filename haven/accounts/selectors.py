"""Account reads: devices, tokens and memberships of one user (always the requesting user), and the members of
an organization for its administrators."""
from __future__ import annotations

import datetime as dt
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from haven.accounts.models import Membership, Organization, Team, User
from haven.audit.models import AuditEntry
from haven.audit.services import ADMIN_SUMMARY
from haven.cases.access import access_profile, get_visible_or_404
from haven.records.dates import today_for


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def totp_secret(device: TOTPDevice) -> str:
    """The base32 secret, as authenticator apps expect it when typed by hand."""
    return b32encode(device.bin_key).decode("ascii")


def pending_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()


def user_memberships(user: User) -> QuerySet[Membership]:
    return (Membership.objects.filter(user=user).select_related("organization", "team")
            .order_by("organization__name"))


def home_organization(user: User) -> Organization | None:
    """The organization whose calendar a page about several of the user's records follows: their first
    membership's (by organization id). A user's organizations normally share a time zone; None without any."""
    return Organization.objects.filter(memberships__user=user).order_by("pk").first()


def today_for_user(user: User) -> dt.date:
    """Today where the user works (home_organization's time zone; the server's when they have no membership),
    for "today" on pages and file names that span the user's cases rather than one organization's record."""
    return today_for(home_organization(user))


def role_requires_two_factor(user: User) -> bool:
    return user.is_superuser or Membership.objects.filter(
        user=user, role__in=settings.HAVEN_2FA_REQUIRED_ROLES).exists()


@dataclass(frozen=True)
class AccountSummary:
    memberships: list[Membership]
    device: TOTPDevice | None
    two_factor_required: bool
    token_created: datetime | None


def account_summary(user: User) -> AccountSummary:
    token = Token.objects.filter(user=user).only("created").first()
    memberships = list(user_memberships(user))
    return AccountSummary(
        memberships=memberships,
        device=confirmed_totp_device(user),
        two_factor_required=user.is_superuser or any(
            m.role in settings.HAVEN_2FA_REQUIRED_ROLES for m in memberships),
        token_created=token.created if token else None,
    )


# Organization members, for the organization's administrators.

def administered_organizations(user: User) -> QuerySet[Organization]:
    """The organizations whose members `user` manages: those they administer."""
    return Organization.objects.filter(pk__in=access_profile(user).admin_org_ids)


def administered_memberships(user: User) -> QuerySet[Membership]:
    """Memberships of the organizations `user` administers."""
    return Membership.objects.filter(organization_id__in=access_profile(user).admin_org_ids)


def get_organization_for_admin(user: User, pk) -> Organization:
    """The organization `pk` when `user` administers it; Http404 otherwise, exactly as for one that does not
    exist."""
    return get_visible_or_404(administered_organizations(user), pk)


def get_membership_for_admin(user: User, organization_pk, pk) -> Membership:
    """A membership of an organization `user` administers (see get_organization_for_admin); Http404 otherwise."""
    organization = get_organization_for_admin(user, organization_pk)
    return get_visible_or_404(administered_memberships(user).filter(organization=organization)
                              .select_related("user", "team", "organization"), pk)


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    two_factor: bool
    # The membership was added or changed in the Django admin by a platform superuser (haven.web.admin_site).
    set_in_admin: bool = False


def organization_members(organization: Organization) -> list[MemberRow]:
    """Every member of the organization, by role then name, with whether they use an authenticator app."""
    devices = TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)
    memberships = (Membership.objects.filter(organization=organization).select_related("user", "team")
                   .annotate(two_factor=Exists(devices)).order_by("role", "user__last_name", "user__first_name",
                                                                   "user__username"))
    set_in_admin = AuditEntry.objects.filter(object_type="accounts.membership", summary=ADMIN_SUMMARY,
                                             object_id=Cast(OuterRef("pk"), CharField()))
    memberships = memberships.annotate(set_in_admin=Exists(set_in_admin))
    return [MemberRow(membership=m, two_factor=m.two_factor, set_in_admin=m.set_in_admin) for m in memberships]


def sponsor_groups(organization: Organization) -> list[Team]:
    return list(Team.objects.filter(organization=organization, kind=Team.Kind.SPONSOR_GROUP).order_by("name"))
