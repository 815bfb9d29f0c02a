from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from haven.crypto import keyring
from haven.crypto.services import rotate_all


class Command(BaseCommand):
    help = ("Encryption keys. `keys generate` prints a new key. `keys rotate` re-encrypts every value under the "
            "first key of HAVEN_ENCRYPTION_KEYS (put the new key first, keep the old one after it until rotation "
            "is done). On a laptop with a local key file, `keys rotate --new-key` adds a key and rotates.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rotate", "generate", "status"])
        parser.add_argument("--new-key", action="store_true",
                            help="laptop only: generate a key, prepend it to the local key file, then rotate")

    def handle(self, *args, action, new_key=False, **options):
        if action == "generate":
            self.stdout.write(keyring.new_key())
            return
        if action == "status":
            keys = keyring.configured_keys()
            source = "HAVEN_ENCRYPTION_KEYS" if settings.HAVEN_ENCRYPTION_KEYS else settings.HAVEN_LOCAL_KEY_FILE
            self.stdout.write(f"{len(keys)} key(s) from {source}; primary key id {keyring.primary_key_id()}")
            return
        if new_key:
            if settings.HAVEN_ENCRYPTION_KEYS:
                raise CommandError("--new-key works on the local key file; with HAVEN_ENCRYPTION_KEYS set, put "
                                   "the new key first in the variable and run `haven keys rotate`.")
            if not settings.HAVEN_ALLOW_LOCAL_KEY:
                raise CommandError("no local key file in production")
            keyring.configured_keys()  # make sure the file exists
            keyring.add_local_key(keyring.new_key())
        try:
            counts = rotate_all()
        except keyring.KeyringError as exc:
            raise CommandError(f"{exc}; nothing was changed") from exc
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(
            f"re-encrypted {total} rows under key {keyring.primary_key_id()}: "
            + ", ".join(f"{label} {n}" for label, n in counts.items())))
