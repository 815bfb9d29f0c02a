"""Two-factor enforcement: users holding a role in HAVEN_2FA_REQUIRED_ROLES
(administrators by default), superusers, and anyone who chose to enrol an
authenticator must verify a TOTP code each session before any other page opens.

Pages answer with a redirect to the two-factor page; the API answers 403 to a
session that is not verified (API tokens are issued only from a verified session).
"""
import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.cases.access import access_profile

# Pages an unverified user may still open: signing in and out, the second factor
# itself, static files, the language switch and public API documentation.
EXEMPT_PREFIXES = (
    "/accounts/login/", "/accounts/logout/", "/accounts/two-factor/", "/static/", "/i18n/",
    "/api/schema", "/api/docs", "/api/redoc", "/healthz",
)


# Whether the user has a confirmed authenticator, kept in the session so that
# ordinary page views do not query for it; enrolment and removal reset it.
SESSION_DEVICE_KEY = "haven_has_totp"


def requires_two_factor(user, session=None) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_haven_requires_2fa", None)
    if cached is None:
        # The roles come from the memberships query every page needs for access anyway.
        role_requires = bool(access_profile(user).roles & set(settings.HAVEN_2FA_REQUIRED_ROLES))
        cached = user.is_superuser or role_requires or _has_confirmed_device(user, session)
        user._haven_requires_2fa = cached
    return cached


def _has_confirmed_device(user, session) -> bool:
    if session is not None and session.get(SESSION_DEVICE_KEY) is not None:
        return session[SESSION_DEVICE_KEY]
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if session is not None:
        session[SESSION_DEVICE_KEY] = has_device
    return has_device


def forget_two_factor(user, session=None) -> None:
    if hasattr(user, "_haven_requires_2fa"):
        del user._haven_requires_2fa
    if session is not None:
        session.pop(SESSION_DEVICE_KEY, None)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES)
                and requires_two_factor(user, request.session) and not user.is_verified()):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Two-factor verification required."}, status=403)
            return redirect(f"{reverse('two_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


# What a user who signed in with a one-time password may still open: the account page (where the new password
# is chosen), signing out, the second factor, static files and the language switch.
PASSWORD_CHANGE_PATHS = ("/accounts/", "/accounts/password/", "/accounts/logout/", "/accounts/login/")
PASSWORD_CHANGE_PREFIXES = ("/accounts/two-factor/", "/static/", "/i18n/", "/healthz")


class RequirePasswordChangeMiddleware:
    """After a one-time password (haven.accounts.services.use_one_time_password) every other page sends the user
    to choose a new password; the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (user.is_authenticated and user.must_change_password and request.path not in PASSWORD_CHANGE_PATHS
                and not request.path.startswith(PASSWORD_CHANGE_PREFIXES)):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Choose a new password first (on your account page)."}, status=403)
            return redirect(f"{reverse('account')}#password")
        return self.get_response(request)


class IdleSessionRefreshMiddleware:
    """Sessions expire after HAVEN_SESSION_IDLE_SECONDS without activity.

    Instead of saving the session on every request (three statements on every
    page), the expiry is pushed forward when the last push is over a minute old:
    the idle limit is kept to within a minute at a fraction of the cost."""

    REFRESH_SECONDS = 60
    KEY = "haven_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if int(time.time()) - request.session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
                self.stamp(request.session)  # marks the session modified: saved with a new expiry
        return self.get_response(request)

    @classmethod
    def stamp(cls, session) -> None:
        session[cls.KEY] = int(time.time())
