"""`haven demo load`: load the synthetic demo data once and print the demo logins."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from haven.demo.services import ADMIN_USERNAME, DemoRefused, DemoResult, load_demo


class Command(BaseCommand):
    help = ("Load synthetic demo data (two organizations, users for every role, ~30 households with cases). "
            "Idempotent; refused when HAVEN_ENV=production.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])
        parser.add_argument("--seed", type=int, default=None, help="random seed of the generated households")

    def handle(self, *args, action, seed, **options):
        try:
            result = load_demo(**({"seed": seed} if seed is not None else {}))
        except DemoRefused as exc:
            raise CommandError(str(exc)) from None
        if result.already_loaded and result.claims:
            self.stdout.write(self.style.SUCCESS(
                f"Demo data was already loaded; added {result.claims} protection claims to the legal clinic's "
                f"cases (synthetic)."))
        elif result.already_loaded:
            self.stdout.write("Demo data is already loaded; nothing was changed.")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Demo data loaded: {result.households} households, {result.cases} cases, "
                f"{result.persons} people, {result.claims} protection claims (synthetic)."))
        self.print_logins(result)

    def print_logins(self, result: DemoResult) -> None:
        rows = [("role", "username", "password", "organization")]
        for credential in result.credentials:
            password = credential.password or "(printed when the demo was first loaded)"
            rows.append((credential.role, credential.username, password, credential.organization))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * width for width in widths))
        self.stdout.write("\n".join(lines))
        if result.totp_secret:
            self.stdout.write(
                f"\n{ADMIN_USERNAME} needs a second factor. TOTP secret (base32): {result.totp_secret}\n"
                f"Add it to an authenticator app, or run `.venv/bin/haven totp {ADMIN_USERNAME}` "
                f"for the current code.")
        if not result.fixed_passwords and not result.already_loaded:
            self.stdout.write("DEBUG is off: these passwords are random and shown only this once.")
