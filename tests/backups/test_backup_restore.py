"""`csphub backup` and `csphub restore`: the demo partnership round-trips into an empty instance
with the same pages, figures, documents and a verifying audit trail; a damaged archive and a
non-empty target are refused, restoring nothing."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import realdata
from tests.instance import Instance, postgres_databases

# The demo imports the real crime files into the warehouse, which the archive must carry.
pytestmark = [pytest.mark.slow, pytest.mark.realdata]
realdata.skip_module_without_data()

DOCUMENT = "ab/3f9c2e-stored-by-random-name"
DOCUMENT_BYTES = b"%PDF-1.4 a document attached to a case\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Instance, Path]:
    """The demo partnership with one stored document file, and a backup of it."""
    source = Instance.sqlite(tmp_path_factory.mktemp("source"))
    source.ok("migrate", "-v0")
    source.ok("demo")
    stored = source.data_dir / "documents" / DOCUMENT
    stored.parent.mkdir(parents=True)
    stored.write_bytes(DOCUMENT_BYTES)
    archive = tmp_path_factory.mktemp("backups") / "demo.tar.gz"
    source.ok("backup", "--output", str(archive))
    return source, archive


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]


def _rewrite(target: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_manifest_names_every_file_with_its_sha256(demo: tuple[Instance, Path]) -> None:
    _, archive = demo
    members = _members(archive)
    manifest = json.loads(members.pop("manifest.json"))
    assert set(manifest["files"]) == set(members)
    assert {"database/csphub.sqlite3", f"documents/{DOCUMENT}"} <= set(members)
    assert any(name.startswith("crimestats/warehouse.duckdb") for name in members)
    for name, data in members.items():
        assert manifest["files"][name] == {
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    assert manifest["engine"] == "sqlite"
    assert members[f"documents/{DOCUMENT}"] == DOCUMENT_BYTES


def test_backup_never_overwrites_an_archive(demo: tuple[Instance, Path]) -> None:
    source, archive = demo
    before = archive.read_bytes()
    again = source.run("backup", "--output", str(archive))
    assert again.returncode != 0
    assert "already exists" in again.stderr
    assert archive.read_bytes() == before


def test_restore_into_an_empty_instance_gives_the_same_pages_figures_and_trail(
    demo: tuple[Instance, Path], tmp_path: Path
) -> None:
    source, archive = demo
    copy = Instance.sqlite(tmp_path / "restored")
    out = copy.ok("restore", str(archive))
    head = json.loads(_members(archive)["manifest.json"])["audit_head"]
    assert head["seq"] > 0
    assert f"ending at #{head['seq']}" in out

    assert (copy.data_dir / "documents" / DOCUMENT).read_bytes() == DOCUMENT_BYTES
    figures = copy.figures()
    assert figures == source.figures()
    assert json.loads(figures)["area"]["name"] == "Bexley"
    for email in ("vip@bexley.demo", "crest@bexley.demo"):
        seen = copy.pages(email)
        assert seen == source.pages(email)
        assert sum(status.startswith("200 ") for status in seen.values()) >= 5
    verified = copy.ok("audit", "verify")
    assert "Audit trail intact" in verified


def test_restore_refuses_an_instance_that_is_not_empty_unless_told(
    demo: tuple[Instance, Path], tmp_path: Path
) -> None:
    _, archive = demo
    copy = Instance.sqlite(tmp_path / "restored")
    copy.ok("restore", str(archive))
    again = copy.run("restore", str(archive))
    assert again.returncode != 0
    assert "This instance is not empty (the database holds 14 user(s))" in again.stderr
    assert "Audit trail intact" in copy.ok("restore", "--replace", str(archive))


@pytest.mark.parametrize("damage", ["changed", "missing", "added"])
def test_restore_refuses_a_damaged_archive_and_restores_nothing(
    demo: tuple[Instance, Path], tmp_path: Path, damage: str
) -> None:
    _, archive = demo
    members = _members(archive)
    if damage == "changed":
        data = bytearray(members["database/csphub.sqlite3"])
        data[len(data) // 2] ^= 0xFF
        members["database/csphub.sqlite3"] = bytes(data)
        expected = "database/csphub.sqlite3 does not match its SHA-256 in the manifest"
    elif damage == "missing":
        del members[f"documents/{DOCUMENT}"]
        expected = f"documents/{DOCUMENT} is in the manifest but missing from the archive"
    else:
        members["documents/extra"] = b"not backed up"
        expected = "documents/extra is in the archive but not in its manifest"
    damaged = tmp_path / "damaged.tar.gz"
    _rewrite(damaged, members)
    target = Instance.sqlite(tmp_path / "target")

    result = target.run("restore", str(damaged))

    assert result.returncode != 0
    assert "is damaged, nothing restored" in result.stderr
    assert expected in result.stderr
    assert not (target.data_dir / "csphub.sqlite3").exists()
    assert not (target.data_dir / "crimestats").exists()
    assert not (target.data_dir / "documents").exists()


@pytest.fixture
def two_databases() -> Iterator[list[str]]:
    with postgres_databases(2) as urls:
        yield urls


@pytest.mark.pg_only
def test_postgresql_round_trip_gives_the_same_pages_figures_and_trail(
    two_databases: list[str], tmp_path: Path
) -> None:
    source = Instance(tmp_path / "source", two_databases[0])
    source.ok("migrate", "-v0")
    source.ok("demo")
    archive = tmp_path / "pg.tar.gz"
    source.ok("backup", "--output", str(archive))
    assert "database/csphub.pgdump" in _members(archive)
    other_engine = Instance.sqlite(tmp_path / "sqlite").run("restore", str(archive))
    assert other_engine.returncode != 0
    assert "holds a postgresql database and this instance uses sqlite" in other_engine.stderr
    copy = Instance(tmp_path / "restored", two_databases[1])

    copy.ok("restore", str(archive))

    assert copy.figures() == source.figures()
    assert copy.pages("vip@bexley.demo") == source.pages("vip@bexley.demo")
    assert "Audit trail intact" in copy.ok("audit", "verify")
    refused = copy.run("restore", str(archive))
    assert refused.returncode != 0
    assert "not empty" in refused.stderr
