"""Account reads: devices, tokens and memberships of one user (always the requesting user)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from haven.accounts.models import Membership, User


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
