"""The clamd client's error paths, against a fake clamd (a socket answering what the test
says): these are the only tests that do not use the real clamd, and none of them claims that
a threat is found."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from csphub.documents import scanning


class FakeClamdAnswering:
    """A unix socket that reads one request and answers REPLY (or closes, for None)."""

    def __init__(self, path: Path, reply: bytes | None) -> None:
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(1)
        self.reply = reply
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            conn.recv(65536)
            if self.reply is not None:
                conn.sendall(self.reply)

    def close(self) -> None:
        self.thread.join(timeout=5)
        self.server.close()


@pytest.fixture
def short_dir():
    import tempfile

    with tempfile.TemporaryDirectory(prefix="fakeclamd-") as folder:
        yield Path(folder)


@pytest.mark.parametrize(
    "reply",
    [b"INSTREAM size limit exceeded. ERROR\0", b"stream: Can't allocate memory ERROR\0", None],
)
def test_an_answer_that_is_no_verdict_is_scanner_unavailable(settings, short_dir, reply):
    sock = short_dir / "clamd.sock"
    fake = FakeClamdAnswering(sock, reply)
    try:
        with pytest.raises(scanning.ScannerUnavailable):
            scanning.scan_chunks([b"hello"], address=f"unix://{sock}")
    finally:
        fake.close()


def test_an_address_of_neither_kind_is_refused_saying_which_are(settings):
    with pytest.raises(scanning.ScannerUnavailable, match="unix:///path/to/socket or tcp://"):
        scanning.scan_chunks([b"hello"], address="clamd.example.org")


def test_nothing_listening_on_a_tcp_port_is_scanner_unavailable(settings):
    with socket.socket() as probe:  # a port nothing listens on: bound, then closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(scanning.ScannerUnavailable, match="cannot reach clamd"):
        scanning.scan_chunks([b"hello"], address=f"tcp://127.0.0.1:{port}")


def test_the_real_clamd_finds_a_clean_stream_clean_over_several_chunks(scanner):
    verdict = scanning.scan_chunks([b"a" * 100_000, b"b" * 70_000], address=scanner.address)
    assert verdict == scanning.Verdict(clean=True)


def test_the_system_check_names_a_scanner_address_it_cannot_use(settings):
    from csphub.documents.checks import documents_settings_check

    assert documents_settings_check() == []
    settings.DOCUMENTS_CLAMD = "localhost:3310"
    assert [e.id for e in documents_settings_check()] == ["documents.E001"]


def test_the_system_check_refuses_documents_among_the_static_files(settings):
    from csphub.documents.checks import documents_settings_check

    settings.DOCUMENTS_DIR = Path(settings.STATIC_ROOT) / "documents"
    settings.DOCUMENTS_TYPES = ["pdf", "exe"]
    assert [e.id for e in documents_settings_check()] == ["documents.E002", "documents.E003"]
