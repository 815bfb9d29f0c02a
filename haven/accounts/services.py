"""Account writes: sign-in auditing, two-factor devices, language preference, API tokens.

Every function is keyword-only, runs in one transaction and leaves an audit row.
Secrets (passwords, TOTP keys, API tokens) never reach the audit log.
"""
from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from haven.accounts.models import Membership, Organization, Role, Team, User
from haven.audit.models import Action
from haven.audit.services import created_fields, diff, record, snapshot
from haven.records.text import check_safe_fields
from haven.cases.models import CaseAssignment
from haven.cases.services import unassign_worker
from haven.records import check_version, save_versioned

AUTHENTICATOR_NAME = "Authenticator app"


# Sign-in events (dispatched from django.contrib.auth signals, see haven.accounts.receivers).

def record_login(*, user: User) -> None:
    record(actor=user, action=Action.LOGIN, obj=user)


def record_login_failed(*, username: str) -> None:
    # The attempted user name helps spot password guessing; the password is never seen here.
    record(actor=AnonymousUser(), action=Action.LOGIN_FAILED, summary=f"username={username[:150]}")


def record_logout(*, user: User | None) -> None:
    if user is not None and user.is_authenticated:
        record(actor=user, action=Action.LOGOUT, obj=user)


# Two-factor authentication (TOTP).

def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """The user's pending (unconfirmed) device, created with a fresh secret if there is none."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
            record(actor=user, action=Action.SECURITY, obj=user, summary="two-factor enrolment started")
        return device


def verify_totp(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Check a code against the user's device; a pending device becomes confirmed on its first good code.

    django-otp throttles repeated failures (each failure doubles the wait before the next try).
    """
    if device.user_id != user.pk:
        raise ValidationError(_("This device belongs to another user."))
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(token):
            record(actor=user, action=Action.LOGIN_FAILED, obj=user, summary="two-factor code rejected")
            return False
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
            record(actor=user, action=Action.SECURITY, obj=user, summary="two-factor device confirmed")
        return True


def remove_totp_devices(*, user: User) -> int:
    with transaction.atomic():
        count, _deleted = TOTPDevice.objects.filter(user=user).delete()
        if count:
            record(actor=user, action=Action.SECURITY, obj=user, summary="two-factor devices removed")
        return count


# Password.

def change_password(*, user: User, new_password: str) -> None:
    """Set a password the caller has validated (Django's PasswordChangeForm or, after a one-time password,
    SetPasswordForm: the validators). Every other session of the user ends, as their session hash no longer
    matches, and their API token is revoked: whoever held the old password may hold the token too."""
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        revoked = Token.objects.filter(user=user).delete()[0] > 0
        record(actor=user, action=Action.SECURITY, obj=user,
               summary="password changed; API token revoked" if revoked else "password changed")


def use_one_time_password(*, user: User) -> None:
    """The user just signed in with a one-time password: it stops working (so it works once), and they must
    choose a new password before anything else (haven.accounts.middleware.RequirePasswordChangeMiddleware)."""
    if not user.must_change_password:
        return
    with transaction.atomic():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        record(actor=user, action=Action.SECURITY, obj=user, summary="one-time password used")


def _set_one_time_password(user: User) -> str:
    """A new one-time password for `user` (saved by the caller's transaction): it must be changed at the first
    sign-in; the user's API token is revoked and a lock-out after failed sign-ins is lifted."""
    from axes.utils import reset as reset_lockout

    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.must_change_password = True
    if user.pk is not None:
        user.save(update_fields=["password", "must_change_password"])
        Token.objects.filter(user=user).delete()
        reset_lockout(username=user.get_username())
    return password


# Preferences.

def set_preferred_language(*, user: User, language: str) -> None:
    allowed = {code for code, _name in settings.LANGUAGES}
    if language and language not in allowed:
        raise ValidationError(_("Unsupported language."))
    if user.preferred_language == language:
        return
    with transaction.atomic():
        old = user.preferred_language
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        record(actor=user, action=Action.UPDATE, obj=user,
               changes={"preferred_language": {"old": old, "new": language}})


# API tokens (Django REST framework authtoken: one token per user).

def issue_api_token(*, user: User) -> str:
    """Replace the user's API token with a new one and return its key (shown to the user once)."""
    with transaction.atomic():
        replaced = Token.objects.filter(user=user).delete()[0] > 0
        token = Token.objects.create(user=user)
        record(actor=user, action=Action.SECURITY, obj=user,
               summary="API token regenerated" if replaced else "API token created")
        return token.key


def revoke_api_token(*, user: User) -> bool:
    with transaction.atomic():
        revoked = Token.objects.filter(user=user).delete()[0] > 0
        if revoked:
            record(actor=user, action=Action.SECURITY, obj=user, summary="API token revoked")
        return revoked


# Organization members, managed by the organization's administrators.

def _member_team(*, organization: Organization, role: str, team: Team | None) -> Team | None:
    """The team a membership may have: a volunteer's sponsor group of this organization, or none."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if role != Role.VOLUNTEER:
        return None
    if team is None or team.organization_id != organization.pk or team.kind != Team.Kind.SPONSOR_GROUP:
        raise ValidationError({"team": _("A sponsor-group volunteer needs one of this organization's sponsor "
                                         "groups: it decides which cases they see.")})
    return team


def _keep_an_administrator(membership: Membership, *, new_role: str | None) -> None:
    """Refuse to demote or remove the organization's last active administrator. Runs inside the caller's
    transaction and locks the administrators' rows, so two administrators demoting each other at once cannot
    both succeed."""
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    admins = list(Membership.objects.select_for_update(of=("self",)).filter(
        organization_id=membership.organization_id, role=Role.ADMIN).values_list("pk", "user__is_active"))
    if not any(active for pk, active in admins if pk != membership.pk):
        raise ValidationError(_("An organization keeps at least one administrator: make another member "
                                "administrator first."))


def _membership_fields(membership: Membership) -> dict[str, Any]:
    return {"user": membership.user.get_username(), "role": membership.role,
            "team": membership.team.name if membership.team_id else None}


def add_member(*, actor: User, organization: Organization, username: str, email: str, first_name: str = "",
               last_name: str = "", role: str, team: Team | None = None) -> tuple[Membership, str]:
    """A new user account with a membership of `organization`; returns it and a one-time password to hand over
    (the user changes it on the account page). Audited: the account and the membership, never the password."""
    team = _member_team(organization=organization, role=role, team=team)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("That username is taken: choose another one.")})
    with transaction.atomic():
        user = User(username=username, email=email.strip(), first_name=first_name.strip(),
                    last_name=last_name.strip())
        password = _set_one_time_password(user)
        check_safe_fields(user, ["first_name", "last_name", "email"])
        user.full_clean(exclude=["password"])
        user.save()
        membership = Membership.objects.create(user=user, organization=organization, role=role, team=team)
        record(actor=actor, action=Action.CREATE, obj=user,
               changes=created_fields(snapshot(user, ["username", "email", "first_name", "last_name"])))
        record(actor=actor, action=Action.CREATE, obj=membership,
               changes=created_fields(_membership_fields(membership)))
    return membership, password


def update_member(*, actor: User, membership: Membership, role: str, team: Team | None = None,
                  expected_version: int | None = None) -> Membership:
    """`expected_version`: the version the administrator's page showed (haven.records.versioning): two
    administrators changing the same member's role cannot silently undo each other."""
    check_version(membership, expected_version)
    team = _member_team(organization=membership.organization, role=role, team=team)
    if (membership.role, membership.team_id) == (role, team.pk if team else None):
        return membership
    with transaction.atomic():
        _keep_an_administrator(membership, new_role=role)
        old = _membership_fields(membership)
        membership.role, membership.team = role, team
        save_versioned(membership, expected_version=expected_version, update_fields=["role", "team"])
        record(actor=actor, action=Action.UPDATE, obj=membership, changes=diff(old, _membership_fields(membership)))
    return membership


def remove_member(*, actor: User, membership: Membership) -> int:
    """End a membership, and the member's assignments to the organization's cases (an assignment alone would
    still show them a case). Returns how many assignments ended."""
    with transaction.atomic():
        _keep_an_administrator(membership, new_role=None)
        assignments = list(CaseAssignment.objects.filter(
            user_id=membership.user_id, case__organization_id=membership.organization_id).select_related("user"))
        for assignment in assignments:
            unassign_worker(actor=actor, assignment=assignment)
        record(actor=actor, action=Action.DELETE, obj=membership, changes=diff(_membership_fields(membership), {}))
        membership.delete()
    return len(assignments)


def reset_member_password(*, actor: User, membership: Membership) -> str:
    """A new one-time password for a member, to be changed at their first sign-in; their sessions end, their
    API token is revoked and a lock-out after failed sign-ins is lifted. Only for an account that belongs to this
    organization alone: an administrator may not take over an account another organization relies on."""
    user = membership.user
    if user.is_superuser or Membership.objects.filter(user=user).exclude(
            organization_id=membership.organization_id).exists():
        # The same words for a platform superuser and for a member of other organizations: who else relies on
        # the account is not this administrator's to learn.
        raise ValidationError(_("Only the account's owner, or a platform administrator, can change this account's "
                                "password: ask them."))
    with transaction.atomic():
        password = _set_one_time_password(user)
        record(actor=actor, action=Action.SECURITY, obj=user,
               summary="one-time password set by an administrator; API token revoked, lock-out lifted")
    return password


# Installation: organizations and their first users without the Django admin (`haven org create`,
# `haven user create`). `actor` is None when an operator runs the command: the audit row says "system".

def check_create_organization(*, name: str, slug: str, kind: str) -> Organization:
    """The unsaved organization, or ValidationError by field (a taken name or slug, a kind that is not one of
    Organization.Kind, a slug with other than letters, digits, hyphens and underscores)."""
    organization = Organization(name=name.strip(), slug=slug.strip(), kind=kind)
    check_safe_fields(organization, ["name"])
    organization.full_clean()
    return organization


def create_organization(*, actor: User | None, name: str, slug: str, kind: str) -> Organization:
    organization = check_create_organization(name=name, slug=slug, kind=kind)
    with transaction.atomic():
        organization.save()
        record(actor=actor, action=Action.CREATE, obj=organization,
               changes=created_fields(snapshot(organization, ["name", "slug", "kind", "time_zone"])))
    return organization


def find_team(*, organization: Organization, name: str) -> Team | None:
    """The team of `organization` called `name` (none for an empty name), or ValidationError on `team`."""
    if not name.strip():
        return None
    team = Team.objects.filter(organization=organization, name=name.strip()).first()
    if team is None:
        raise ValidationError({"team": _("%(organization)s has no team or sponsor group called “%(name)s”.")
                               % {"organization": organization.name, "name": name.strip()}})
    return team


def create_user(*, actor: User | None, organization: Organization, username: str, role: str, email: str = "",
                team_name: str = "") -> tuple[Membership, str]:
    """A user with a membership, as an administrator adds a member (add_member): returns the membership and the
    one-time password to hand over, which must be changed at the first sign-in."""
    team = find_team(organization=organization, name=team_name)
    return add_member(actor=actor, organization=organization, username=username, email=email, role=role, team=team)
