"""Checkpoints of the audit chain's head (seq, hash, time), kept outside the database.

One JSON object a line, appended to AUDIT_CHECKPOINT_FILE, logged at INFO and, when
AUDIT_CHECKPOINT_EMAIL is set, e-mailed. `csphub audit verify` holds the database to every
checkpoint: an event missing at or below a checkpointed seq (the trail cut short), or an event
whose hash differs from the one recorded (the trail rewritten), breaks the trail.
"""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from csphub.audit.chain import Checkpoint

logger = logging.getLogger(__name__)

_HASH = re.compile(r"[0-9a-f]{64}")


class CheckpointFileError(Exception):
    """The checkpoint file cannot be read as checkpoints (damaged, or edited by hand)."""


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def _parse(line: str) -> Checkpoint:
    data = json.loads(line)
    seq, digest, at = data["seq"], data["hash"], data["at"]
    if not (
        isinstance(seq, int) and seq >= 0 and isinstance(digest, str) and _HASH.fullmatch(digest)
    ):
        raise ValueError(line)
    return Checkpoint(seq=seq, hash=digest, at=str(at))


def read_checkpoints(path: Path | None = None) -> dict[int, Checkpoint]:
    """Every checkpoint in the file by seq (the earliest for a seq); {} if there is no file yet."""
    path = path or checkpoint_path()
    if not path.exists():
        return {}
    checkpoints: dict[int, Checkpoint] = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                checkpoint = _parse(line)
            except (ValueError, KeyError, TypeError) as error:
                raise CheckpointFileError(f"{path} line {number} is not a checkpoint") from error
            earlier = checkpoints.setdefault(checkpoint.seq, checkpoint)
            if earlier.hash != checkpoint.hash:
                raise CheckpointFileError(
                    f"{path} line {number} records event #{checkpoint.seq} with another hash"
                    f" than the checkpoint taken {earlier.at}: the trail was rewritten between"
                    " the two, or the file was edited"
                )
    return checkpoints


def append_checkpoint(seq: int, digest: str, path: Path | None = None) -> Checkpoint:
    """Append a checkpoint of the head (#SEQ with hash DIGEST), log it, and e-mail it if set."""
    path = path or checkpoint_path()
    at = timezone.now().astimezone(UTC).isoformat(timespec="seconds")
    checkpoint = Checkpoint(seq=seq, hash=digest, at=at)
    line = json.dumps({"seq": seq, "hash": digest, "at": at}, sort_keys=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    logger.info("audit checkpoint #%d %s at %s", seq, digest, at)
    if settings.AUDIT_CHECKPOINT_EMAIL:
        send_mail(
            f"Audit checkpoint #{seq}",
            "The newest event of the audit trail when this checkpoint was taken:\n\n"
            f"  #{seq} {digest}\n  taken {at}\n\n"
            "Keep this message. `csphub audit verify` compares the database with the checkpoint"
            f" file ({path.name} on the server); this copy lets you check the file itself.\n",
            None,
            settings.AUDIT_CHECKPOINT_EMAIL,
        )
    return checkpoint
