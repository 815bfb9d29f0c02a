"""`haven totp USERNAME`: the current two-factor code of a user, for demos on a laptop only."""
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from haven.accounts import selectors


class Command(BaseCommand):
    help = "Print the current TOTP code of USERNAME's authenticator (development only, refused unless DEBUG)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("Refused: `haven totp` only works in development (DEBUG on). "
                               "In production codes come from the user's authenticator app.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        device = selectors.confirmed_totp_device(user) or selectors.pending_totp_device(user)
        if device is None:
            raise CommandError(f"{username} has no authenticator yet: sign in once and open the two-factor page.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        self.stdout.write(f"{totp.token():0{device.digits}d}")
