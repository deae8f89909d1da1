"""One backup archive: a gzipped tar of the database dump, the crime warehouse and the attached
documents, with ``manifest.json`` naming every member's size and SHA-256.

The manifest is what restore checks before it touches anything: a member missing, added,
truncated or changed is refused by name. It guards against damage in storage and transfer,
not against someone who rewrites the archive and its manifest together (keep backups
encrypted and out of reach: docs/operations.md).
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

FORMAT = "csphub-backup/1"
MANIFEST = "manifest.json"
_CHUNK = 1024 * 1024


class ArchiveDamaged(Exception):
    """The archive cannot be trusted: nothing is restored from it."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Manifest:
    """What one archive holds: the database engine, the audit trail's head when the database
    was dumped, and each member's size and hash (by its path inside the archive)."""

    engine: str
    created_at: str
    audit_head: dict[str, Any]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add_tree(self, root: Path) -> None:
        """Record every file under ROOT (the staging folder), by its path relative to ROOT."""
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            if name != MANIFEST:
                self.files[name] = {"bytes": path.stat().st_size, "sha256": sha256_of(path)}

    def as_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "engine": self.engine,
                "created_at": self.created_at,
                "audit_head": self.audit_head,
                "files": self.files,
            },
            indent=2,
            sort_keys=True,
        )

    @classmethod
    def parse(cls, text: str) -> Manifest:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ArchiveDamaged(
                    f"{MANIFEST} names format {data.get('format')!r}, not {FORMAT!r}"
                )
            return cls(
                engine=str(data["engine"]),
                created_at=str(data["created_at"]),
                audit_head=dict(data["audit_head"]),
                files={str(k): dict(v) for k, v in data["files"].items()},
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ArchiveDamaged(f"{MANIFEST} cannot be read: {exc}") from exc


def write_archive(staging: Path, manifest: Manifest, output: Path) -> None:
    """Write STAGING's files and the manifest to OUTPUT (via a temporary name, so a backup
    interrupted half-way never leaves a file that looks complete)."""
    (staging / MANIFEST).write_text(manifest.as_json(), encoding="utf-8")
    partial = output.with_name(f".{output.name}.partial")
    with tarfile.open(partial, "w:gz") as tar:
        tar.add(staging / MANIFEST, arcname=MANIFEST)
        for name in manifest.files:
            tar.add(staging / name, arcname=name)
    partial.replace(output)


def extract_verified(archive: Path, into: Path) -> Manifest:
    """Unpack ARCHIVE into the empty folder INTO and prove every member against the manifest.

    Raises ArchiveDamaged naming the first member that is missing, unexpected, or whose size
    or SHA-256 differs.
    """
    try:
        with tarfile.open(archive, "r:*") as tar:
            members = tar.getmembers()
            names = {m.name for m in members if m.isfile()}
            for member in members:
                if not (member.isfile() or member.isdir()):
                    raise ArchiveDamaged(f"{member.name} is not a plain file")
            # The "data" filter refuses absolute paths, "..", links and device files.
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ArchiveDamaged(f"{archive} cannot be read as a backup archive: {exc}") from exc
    if MANIFEST not in names:
        raise ArchiveDamaged(f"{archive} has no {MANIFEST}")
    manifest = Manifest.parse((into / MANIFEST).read_text(encoding="utf-8"))
    unexpected = sorted(names - set(manifest.files) - {MANIFEST})
    if unexpected:
        raise ArchiveDamaged(f"{unexpected[0]} is in the archive but not in its manifest")
    for name, expected in sorted(manifest.files.items()):
        if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
            raise ArchiveDamaged(f"the manifest names {name!r}, outside the archive")
        path = into / name
        if name not in names or not path.is_file():
            raise ArchiveDamaged(f"{name} is in the manifest but missing from the archive")
        if path.stat().st_size != expected.get("bytes"):
            raise ArchiveDamaged(
                f"{name} has {path.stat().st_size} bytes, the manifest says {expected.get('bytes')}"
            )
        if sha256_of(path) != expected.get("sha256"):
            raise ArchiveDamaged(f"{name} does not match its SHA-256 in the manifest")
    return manifest
