"""A real clamd for the tests, on a signature database made here from the EICAR test file.

Signatures cannot be downloaded on the test machines, so `start` writes the EICAR test file,
turns it into a hash signature with ClamAV's own `sigtool --md5` (a `.hdb` line:
`md5:size:name`), and starts Debian's clamd (package clamav-daemon, installed by
scripts/setup.sh) in the foreground on a unix socket in a temporary folder with that database
alone. Production runs freshclam and the official databases instead (docs/operations.md).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

# The EICAR anti-virus test file (https://www.eicar.org/download-anti-malware-testfile/): 68
# harmless ASCII bytes that every scanner is built to report. Split so that this source file is
# not itself reported by a scanner reading the repository.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
# What clamd calls a match of the signature made below from a file named eicar.com.
EICAR_SIGNATURE = "eicar.com.UNOFFICIAL"
CLAMD_MISSING = (
    "clamd is not installed: it comes with the Debian package clamav-daemon, which "
    "scripts/setup.sh installs (apt-get install clamav-daemon)"
)


class ClamdUnavailable(RuntimeError):
    pass


@dataclass
class Clamd:
    address: str  # unix:///…/clamd.sock, for settings.DOCUMENTS_CLAMD
    process: subprocess.Popen[bytes]
    folder: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def binaries() -> tuple[str, str] | None:
    clamd = shutil.which("clamd") or (
        "/usr/sbin/clamd" if os.path.exists("/usr/sbin/clamd") else None
    )
    sigtool = shutil.which("sigtool")
    return (clamd, sigtool) if clamd and sigtool else None


def start(folder: Path, *, timeout: float = 60) -> Clamd:
    """Start clamd in FOLDER with the EICAR signature alone; ClamdUnavailable if it cannot."""
    found = binaries()
    if found is None:
        raise ClamdUnavailable(CLAMD_MISSING)
    clamd, sigtool = found
    database = folder / "db"
    database.mkdir(parents=True)
    sample = folder / "eicar.com"
    sample.write_bytes(EICAR)
    made = subprocess.run(
        [sigtool, "--md5", str(sample)], capture_output=True, check=False, cwd=folder
    )
    if made.returncode != 0 or not made.stdout.strip():
        raise ClamdUnavailable(f"sigtool --md5 failed: {made.stderr.decode(errors='replace')}")
    (database / "eicar.hdb").write_bytes(made.stdout)
    sample.unlink()
    sock = folder / "clamd.sock"
    log = folder / "clamd.log"
    config = folder / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"LocalSocket {sock}",
                f"DatabaseDirectory {database}",
                f"TemporaryDirectory {folder}",
                f"LogFile {log}",
                "Foreground yes",
                "StreamMaxLength 30M",
                "MaxThreads 2",
                "SelfCheck 0",
                "",
            ]
        )
    )
    process = subprocess.Popen(
        [clamd, "--config-file", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise ClamdUnavailable(f"clamd exited with {process.returncode}: {text[-2000:]}")
        if _answers(sock):
            return Clamd(address=f"unix://{sock}", process=process, folder=folder)
        time.sleep(0.1)
    process.kill()
    raise ClamdUnavailable(f"clamd did not answer on {sock} within {timeout:.0f} s")


def _answers(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect(str(sock))
            s.sendall(b"zPING\0")
            return s.recv(16).startswith(b"PONG")
    except OSError:
        return False
