from django.core.management.base import BaseCommand, CommandError

from haven.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` checks the hash chain and exits non-zero at the first bad entry."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **options):
        result = verify_chain()
        if not result.ok:
            raise CommandError(f"audit chain BROKEN at entry #{result.bad_seq}: {result.reason} "
                               f"({result.checked} entries verified before it)")
        self.stdout.write(self.style.SUCCESS(f"audit chain OK: {result.checked} entries verified"))
