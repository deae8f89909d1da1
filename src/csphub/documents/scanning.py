"""Virus scanning with ClamAV's daemon, clamd, over its socket (docs/adr/0205).

The file is streamed with clamd's INSTREAM command: `zINSTREAM\\0`, then chunks each preceded
by its length as a 4-byte big-endian number, then a zero length; clamd answers
`stream: OK`, `stream: <signature> FOUND` or `... ERROR`, ending with a NUL. The address is
`unix:///path/to/clamd.ctl` or `tcp://host:port` (settings.DOCUMENTS_CLAMD).

Whatever goes wrong talking to clamd (no socket, a timeout, an answer that is neither clean nor
infected) is ScannerUnavailable: the caller refuses the upload and stores nothing, so a file is
never kept unscanned.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd could not be asked, or did not give a verdict: nothing may be stored."""


@dataclass(frozen=True)
class Verdict:
    """clamd's answer about one file: clean, or the name of the signature it matched."""

    clean: bool
    signature: str = ""


def _connect(address: str, timeout: float) -> socket.socket:
    parts = urlsplit(address)
    try:
        if parts.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(parts.path)
        elif parts.scheme == "tcp" and parts.hostname and parts.port:
            sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        else:
            raise ScannerUnavailable(
                f"DOCUMENTS_CLAMD is {address!r}: give unix:///path/to/socket or tcp://host:port"
            )
    except OSError as error:
        raise ScannerUnavailable(f"cannot reach clamd at {address}: {error}") from error
    return sock


def _answer(sock: socket.socket) -> str:
    received = b""
    while not received.endswith(b"\0"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        received += chunk
    return received.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan_chunks(chunks: Iterable[bytes], *, address: str | None = None) -> Verdict:
    """Stream CHUNKS (a file's bytes) to clamd and return its verdict."""
    address = address or settings.DOCUMENTS_CLAMD
    timeout = float(settings.DOCUMENTS_CLAMD_TIMEOUT)
    with _connect(address, timeout) as sock:
        try:
            sock.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), CHUNK):
                    piece = chunk[start : start + CHUNK]
                    sock.sendall(struct.pack("!L", len(piece)) + piece)
            sock.sendall(struct.pack("!L", 0))
            reply = _answer(sock)
        except OSError as error:
            raise ScannerUnavailable(f"clamd at {address} stopped answering: {error}") from error
    if reply.endswith(" OK"):
        return Verdict(clean=True)
    if reply.endswith(" FOUND"):
        signature = reply.removeprefix("stream:").removesuffix(" FOUND").strip()
        return Verdict(clean=False, signature=signature[:200])
    raise ScannerUnavailable(f"clamd at {address} gave no verdict: {reply[:200]!r}")


def ping(*, address: str | None = None) -> str:
    """clamd's version line (e.g. "ClamAV 1.4.6/..."), or ScannerUnavailable."""
    address = address or settings.DOCUMENTS_CLAMD
    with _connect(address, float(settings.DOCUMENTS_CLAMD_TIMEOUT)) as sock:
        try:
            sock.sendall(b"zVERSION\0")
            return _answer(sock)
        except OSError as error:
            raise ScannerUnavailable(f"clamd at {address} stopped answering: {error}") from error
