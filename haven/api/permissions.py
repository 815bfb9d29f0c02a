"""Permission classes shared by every API view.

Record-level access is not decided here: views fetch records through
haven.cases.access, which answers 404 for anything the user may not see.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import BasePermission, IsAuthenticated

from haven.accounts.middleware import requires_two_factor


class TwoFactorVerified(BasePermission):
    """A session of a user who must use two-factor authentication has to be verified.

    Token-authenticated requests pass: tokens are issued from a verified session.
    """

    message = _("Two-factor verification is required: verify this session in the web interface first, "
                "or use an API token.")

    def has_permission(self, request, view) -> bool:
        if isinstance(request.successful_authenticator, TokenAuthentication):
            return True
        user = request.user
        if not requires_two_factor(user):
            return True
        is_verified = getattr(user, "is_verified", None)
        return bool(is_verified and is_verified())


DEFAULT_PERMISSIONS = [IsAuthenticated, TwoFactorVerified]
