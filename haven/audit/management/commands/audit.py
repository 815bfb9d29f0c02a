from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haven.audit import chain
from haven.audit.checkpoint import CheckpointError, read_checkpoints
from haven.audit.keys import AuditKeyError, new_secret
from haven.audit.verify import verify_chain


class Command(BaseCommand):
    help = ("Audit log tools. `audit verify` checks every entry's MAC, the head and the last checkpoint kept outside "
            "the database, and exits non-zero naming the first missing or bad entry. `audit checkpoint` writes the "
            "head outside the database (run it every minute from cron or a systemd timer). `audit rotate-key` "
            "re-anchors the chain under the first key of HAVEN_AUDIT_KEYS (on a laptop: a new local key). "
            "`audit generate-key` prints a new key.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint", "rotate-key", "generate-key"])
        parser.add_argument("--checkpoints", type=Path,
                            help="verify against this copy of the checkpoint lines (e.g. gathered from syslog)")

    def handle(self, *args, action, checkpoints=None, **options):
        try:
            if action == "generate-key":
                self.stdout.write(new_secret())
            elif action == "verify":
                self._verify(checkpoints)
            elif action == "checkpoint":
                written = chain.checkpoint_head()
                self.stdout.write(f"audit checkpoint: entry #{written.seq}" if written else
                                  "audit checkpoint: the chain is empty")
            else:
                entry = chain.rotate_key()
                self.stdout.write(self.style.SUCCESS(f"audit chain re-anchored at entry #{entry.seq} under key "
                                                     f"{entry.key_id}"))
        except (AuditKeyError, CheckpointError) as exc:
            raise CommandError(str(exc)) from exc

    def _verify(self, checkpoints: Path | None) -> None:
        if checkpoints is not None and not checkpoints.exists():
            raise CommandError(f"{checkpoints} does not exist")
        result = verify_chain(checkpoints=read_checkpoints(checkpoints) if checkpoints else None)
        if not result.ok:
            raise CommandError(f"audit chain BROKEN at entry #{result.bad_seq}: {result.reason} "
                               f"({result.checked} entries verified before it)")
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(f"audit chain OK: {result.checked} entries verified"))
