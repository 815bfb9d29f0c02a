"""Thin dispatch from django.contrib.auth signals to the audit services (no logic here)."""
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from haven.accounts import services


@receiver(user_logged_in, dispatch_uid="haven_audit_login")
def audit_login(sender, request, user, **kwargs):
    services.record_login(user=user)


@receiver(user_login_failed, dispatch_uid="haven_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    services.record_login_failed(username=str(credentials.get("username", "")))


@receiver(user_logged_out, dispatch_uid="haven_audit_logout")
def audit_logout(sender, request, user, **kwargs):
    services.record_logout(user=user)
