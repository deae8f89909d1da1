"""Where documents' files live: settings.DOCUMENTS_DIR (under the data directory, outside the
static and web roots), each by a random name, so a path says nothing about whom it is about.

A file is written to a temporary name beside its final one and renamed once complete, so a
half-written file is never served; it is readable by the service's own user only. Its row's
deletion (on its own, or cascaded from a deleted case, person or agenda item) deletes it once
the transaction commits.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from csphub.documents.models import Document


def new_storage_name() -> str:
    return secrets.token_hex(16)


def path_of(storage_name: str) -> Path:
    """The file's path: DOCUMENTS_DIR/ab/abcdef…, fanned out by the name's first two
    characters so no directory grows too large."""
    if len(storage_name) != 32 or not all(c in "0123456789abcdef" for c in storage_name):
        raise ValueError("not a storage name")
    return Path(settings.DOCUMENTS_DIR) / storage_name[:2] / storage_name


def write(storage_name: str, chunks: Iterable[bytes]) -> tuple[int, str]:
    """Write CHUNKS as STORAGE_NAME's file; its size and SHA-256."""
    final = path_of(storage_name)
    final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = final.with_name(f".{storage_name}.partial")
    digest, size = hashlib.sha256(), 0
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        partial.rename(final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return size, digest.hexdigest()


def remove(storage_name: str) -> None:
    with contextlib.suppress(ValueError):
        path_of(storage_name).unlink(missing_ok=True)


@receiver(post_delete, sender=Document, dispatch_uid="documents.remove_file")
def _remove_file(sender: type[Document], instance: Document, **kwargs: object) -> None:
    # After the commit: a deletion rolled back keeps its file.
    name = instance.storage_name
    transaction.on_commit(lambda: remove(name))
