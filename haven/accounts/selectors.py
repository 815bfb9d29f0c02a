"""Account reads: devices, tokens and memberships of one user (always the requesting user), and the members of
an organization for its administrators."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from haven.accounts.models import Membership, Organization, Team, User
from haven.cases.access import access_profile


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()


def user_memberships(user: User) -> QuerySet[Membership]:
    return (Membership.objects.filter(user=user).select_related("organization", "team")
            .order_by("organization__name"))


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

def get_organization_for_admin(user: User, pk) -> Organization:
    """The organization `pk` when `user` administers it; Http404 otherwise, exactly as for one that does not
    exist."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such record.") from None
    if pk not in access_profile(user).admin_org_ids:
        raise Http404("No such record.")
    return Organization.objects.get(pk=pk)


def get_membership_for_admin(user: User, organization_pk, pk) -> Membership:
    """A membership of an organization `user` administers (see get_organization_for_admin); Http404 otherwise."""
    organization = get_organization_for_admin(user, organization_pk)
    try:
        return Membership.objects.select_related("user", "team", "organization").get(
            pk=int(pk), organization=organization)
    except (Membership.DoesNotExist, TypeError, ValueError):
        raise Http404("No such record.") from None


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    two_factor: bool


def organization_members(organization: Organization) -> list[MemberRow]:
    """Every member of the organization, by role then name, with whether they use an authenticator app."""
    devices = TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)
    memberships = (Membership.objects.filter(organization=organization).select_related("user", "team")
                   .annotate(two_factor=Exists(devices)).order_by("role", "user__last_name", "user__first_name",
                                                                   "user__username"))
    return [MemberRow(membership=m, two_factor=m.two_factor) for m in memberships]


def sponsor_groups(organization: Organization) -> list[Team]:
    return list(Team.objects.filter(organization=organization, kind=Team.Kind.SPONSOR_GROUP).order_by("name"))
