"""The chain's head, checkpointed outside the database.

A keyed MAC stops anyone without the key from rewriting entries, but not from removing the last ones (or all of
them) and the head row with them: what is left is still a valid chain. So the head (sequence number, MAC and key
id) is also written where the database's owner cannot reach: an append-only file (HAVEN_AUDIT_CHECKPOINT_FILE,
default var/audit-checkpoints.log; make it append-only with `chattr +a`, or put it on another host) and any of
HAVEN_AUDIT_CHECKPOINT_TARGETS (`syslog`, `syslog:HOST:PORT`, or an `https://` webhook that receives each line as a
JSON POST). `haven audit verify` reads the file (or a copy gathered from syslog, `--checkpoints FILE`) and fails
when the table ends before the last checkpoint or holds another MAC at that sequence number.

Every committed append writes one (`note_append`, after commit, so a rolled-back append never claims an entry);
`haven audit checkpoint` writes one too, once a minute from cron or a systemd timer, after checking that the
entries since the last checkpoint still chain from it, so a truncation is reported rather than checkpointed.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("haven.audit.checkpoint")


class CheckpointError(RuntimeError):
    """A checkpoint line cannot be read, or the table no longer extends the last checkpoint."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    mac: str
    key_id: str
    kind: str = "append"
    at: str = ""

    def line(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":")) + "\n"


def checkpoint_path() -> Path:
    return Path(settings.HAVEN_AUDIT_CHECKPOINT_FILE)


def parse_checkpoints(lines: Iterable[str], *, source: str = "checkpoint file") -> list[Checkpoint]:
    checkpoints = []
    for number, line in enumerate(lines, start=1):
        text = line.strip().strip("\x00")  # syslog ends a message with NUL
        if not text:
            continue
        try:
            data = json.loads(text[text.index("{"):])  # and prefixes it with its own header
            checkpoints.append(Checkpoint(seq=int(data["seq"]), mac=str(data["mac"]), key_id=str(data["key_id"]),
                                          kind=str(data.get("kind", "")), at=str(data.get("at", ""))))
        except (ValueError, KeyError, TypeError) as exc:
            raise CheckpointError(f"{source} line {number} is not a checkpoint: {line.strip()[:80]!r}") from exc
    return checkpoints


def read_checkpoints(path: Path | None = None) -> list[Checkpoint]:
    path = checkpoint_path() if path is None else path
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        return parse_checkpoints(lines, source=str(path))


def last_checkpoint(checkpoints: Iterable[Checkpoint]) -> Checkpoint | None:
    # Appends commit in sequence order but their after-commit writes may land out of order: the highest counts.
    return max(checkpoints, key=lambda checkpoint: checkpoint.seq, default=None)


def write_checkpoint(checkpoint: Checkpoint, *, durable: bool = False) -> None:
    """Append the line to the file (one write on an O_APPEND descriptor), then to the other targets."""
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    checkpoint = Checkpoint(**{**asdict(checkpoint), "at": checkpoint.at or dt.datetime.now(dt.UTC).isoformat()})
    data = checkpoint.line().encode("utf-8")
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, data)
        if durable:
            os.fsync(descriptor)
    finally:
        os.close(descriptor)
    for target in settings.HAVEN_AUDIT_CHECKPOINT_TARGETS:
        _send(target, checkpoint)


def note_append(seq: int, mac: str, key_id: str) -> None:
    """After an append commits: checkpoint its head. A failure is logged, not raised: the entries are committed,
    and the minute checkpoint writes the head again."""
    try:
        write_checkpoint(Checkpoint(seq=seq, mac=mac, key_id=key_id, kind="append"))
    except OSError:
        logger.exception("could not write the audit checkpoint for entry #%s", seq)


def _send(target: str, checkpoint: Checkpoint) -> None:
    try:
        if target == "syslog" or target.startswith("syslog:"):
            _send_syslog(target, checkpoint)
        elif target.startswith(("https://", "http://")):
            _send_webhook(target, checkpoint)
        else:
            logger.error("unknown audit checkpoint target %r", target)
    except OSError:
        logger.exception("could not send the audit checkpoint for entry #%s to %s", checkpoint.seq, target)


def _send_syslog(target: str, checkpoint: Checkpoint) -> None:
    from logging.handlers import SysLogHandler

    _, _, where = target.partition(":")
    host, _, port = where.rpartition(":")
    address = (host, int(port)) if host else "/dev/log"
    handler = SysLogHandler(address=address, facility=SysLogHandler.LOG_AUTHPRIV)
    try:
        handler.emit(logging.makeLogRecord({"msg": "haven-audit-checkpoint " + checkpoint.line().strip(),
                                            "levelno": logging.INFO, "levelname": "INFO"}))
    finally:
        handler.close()


def _send_webhook(url: str, checkpoint: Checkpoint) -> None:
    import urllib.request

    request = urllib.request.Request(url, data=checkpoint.line().encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (the operator's configured URL)
        response.read()
