"""Account writes: sign-in auditing, two-factor devices, language preference, API tokens.

Every function is keyword-only, runs in one transaction and leaves an audit row.
Secrets (passwords, TOTP keys, API tokens) never reach the audit log.
"""
from __future__ import annotations

from base64 import b32encode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from haven.accounts.models import User
from haven.audit.models import Action
from haven.audit.services import record

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

def totp_secret(device: TOTPDevice) -> str:
    """The base32 secret, as authenticator apps expect it when typed by hand."""
    return b32encode(device.bin_key).decode("ascii")


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
    """Set a password the caller has validated (Django's PasswordChangeForm: the current password and the
    validators). Every other session of the user ends, as their session hash no longer matches."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        record(actor=user, action=Action.SECURITY, obj=user, summary="password changed")


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
