"""Download from data.police.uk: the monthly archive and the API, politely and with limits.

The API allows 15 requests a second with bursts of up to 30; :class:`RateLimiter` is a token
bucket with exactly that shape, and HTTP 429 (or 5xx) is retried after ``Retry-After`` (seconds
or an HTTP date, waited for at most :attr:`Client.max_retry_after`) or an exponential back-off,
a bounded number of times.  Every request has a socket timeout and an overall deadline (a server
trickling one byte every few seconds never times out a socket, so a watchdog hangs up on it), a
body shorter than its ``Content-Length`` is fetched again, and an archive is checked to be a zip
before anything in it is imported.  Failures raise :class:`DownloadError` with a plain message.
Base URLs, delays and limits are parameters so tests run fast against a local server.
"""

from __future__ import annotations

import contextlib
import csv
import email.utils
import http.client
import json
import logging
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from crimestats.periods import add_months, parse_month

logger = logging.getLogger(__name__)

ARCHIVE_URL = "https://data.police.uk/data/archive/"
API_URL = "https://data.police.uk/api/"
#: Bytes read from the network at a time.
CHUNK = 1 << 16

#: API category slugs to the crime type names used in the street-level CSVs.
CATEGORY_NAMES = {
    "anti-social-behaviour": "Anti-social behaviour",
    "bicycle-theft": "Bicycle theft",
    "burglary": "Burglary",
    "criminal-damage-arson": "Criminal damage and arson",
    "drugs": "Drugs",
    "other-crime": "Other crime",
    "other-theft": "Other theft",
    "possession-of-weapons": "Possession of weapons",
    "public-order": "Public order",
    "robbery": "Robbery",
    "shoplifting": "Shoplifting",
    "theft-from-the-person": "Theft from the person",
    "vehicle-crime": "Vehicle crime",
    "violent-crime": "Violence and sexual offences",
}


class DownloadError(urllib.error.URLError):
    """A download that failed for a reason the message says plainly (no traceback needed)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class _CutShort(Exception):
    """The body ended before the length the server announced (worth one more try)."""


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """How long a ``Retry-After`` header asks to wait, or None when absent or unreadable.

    It is either whole seconds or an HTTP date (RFC 9110); a date already past means now.

    >>> retry_after_seconds("Mon, 01 Jan 2024 12:01:00 GMT", datetime(2024, 1, 1, 12, tzinfo=UTC))
    60.0
    """
    text = (value or "").strip()
    if re.fullmatch(r"[0-9]+", text):
        return float(int(text))
    if not text or text[0].isdigit() or text[0] in "+-.":
        return None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class _Watchdog:
    """Hangs up every connection of one request once its deadline has passed."""

    def __init__(self) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _hang_up(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _hang_up(sock)


def _hang_up(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # a blocked recv returns at once


def _opener(watch: _Watchdog) -> urllib.request.OpenerDirector:
    """A urllib opener whose HTTP(S) connections report their sockets to WATCH."""

    class Http(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            watch.add(self.sock)

    class Https(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            watch.add(self.sock)

    class HttpHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Http, req)

    class HttpsHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Https, req, context=self._context)  # type: ignore[attr-defined]

    return urllib.request.build_opener(HttpHandler, HttpsHandler)


@dataclass
class RateLimiter:
    """Token bucket: ``rate`` tokens a second, holding at most ``burst``.

    >>> now = [0.0]
    >>> limiter = RateLimiter(15, 30, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    >>> for _ in range(45):
    ...     limiter.acquire()
    >>> round(now[0], 3)  # 30 at once, then 15 more at 15 a second
    1.0
    """

    rate: float = 15.0
    burst: int = 30
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _tokens: float = field(init=False, default=-1.0)
    _last: float = field(init=False, default=0.0)

    def acquire(self) -> None:
        """Wait until a request may be made, then take a token."""
        now = self.clock()
        if self._tokens < 0:
            self._tokens, self._last = float(self.burst), now
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens < 1:
            wait = (1 - self._tokens) / self.rate
            self.sleep(wait)
            self._last = self.clock()
            self._tokens = 1.0
        self._tokens -= 1


@dataclass
class Client:
    """A rate-limited HTTP client with limits on how long anything may take.

    - 429 and 5xx are retried ``max_retries`` times, after ``Retry-After`` but never longer
      than ``max_retry_after`` seconds (a longer request is capped and said through
      ``notify``), or after an exponential back-off from ``backoff``; a body cut short of its
      ``Content-Length`` is retried the same way;
    - ``timeout`` is the socket timeout (connect and each read), ``deadline`` the most one
      request may take in all, headers and body; past it the connection is closed and the
      request fails (not retried: a server that slow would only use the time up again).
    """

    limiter: RateLimiter = field(default_factory=RateLimiter)
    max_retries: int = 5
    backoff: float = 0.5
    timeout: float = 60.0
    deadline: float = 3600.0
    max_retry_after: float = 120.0
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    notify: Callable[[str], None] = logger.warning
    retries_made: int = 0

    def get(self, url: str) -> bytes:
        """The body of a GET, or raise :class:`DownloadError`."""
        parts: list[bytes] = []

        def begin() -> Callable[[bytes], Any]:
            parts.clear()
            return parts.append

        self._fetch(url, begin)
        return b"".join(parts)

    def download(self, url: str, target: Path) -> Path:
        """Save a URL to a file, atomically (a partial download never looks complete).

        The body is streamed to disk: the monthly archive is gigabytes.
        """
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        files: list[IO[bytes]] = []

        def begin() -> Callable[[bytes], Any]:
            for fh in files:
                fh.close()
            files[:] = [partial.open("wb")]
            return files[0].write

        try:
            self._fetch(url, begin)
            files[0].close()
            partial.replace(target)
        finally:
            for fh in files:
                fh.close()
            partial.unlink(missing_ok=True)
        return target

    def _fetch(self, url: str, begin: Callable[[], Callable[[bytes], Any]]) -> None:
        """GET URL into the sink BEGIN returns (called afresh for every attempt)."""
        refused = ""
        for attempt in range(self.max_retries + 1):
            self.limiter.acquire()
            try:
                self._attempt(url, begin())
                return
            except urllib.error.HTTPError as exc:
                if exc.code != 429 and exc.code < 500:
                    raise
                asked = retry_after_seconds(exc.headers.get("Retry-After"), self.now())
                exc.close()
                refused = f"HTTP {exc.code} {exc.reason}"
                if asked is None:
                    delay = self.backoff * 2**attempt
                elif asked > self.max_retry_after:
                    refused += (
                        f" (the server asked to wait {asked:.0f} s, "
                        f"more than the {self.max_retry_after:g} s this job waits)"
                    )
                    delay = self.max_retry_after
                    if attempt < self.max_retries:
                        self.notify(
                            f"{url}: the server asked to wait {asked:.0f} s before trying "
                            f"again; waiting {self.max_retry_after:g} s instead"
                        )
                else:
                    delay = asked
            except _CutShort as exc:
                refused, delay = str(exc), self.backoff * 2**attempt
            if attempt == self.max_retries:
                break
            self.retries_made += 1
            self.sleep(delay)
        raise DownloadError(f"gave up on {url} after {self.max_retries + 1} attempts: {refused}")

    def _attempt(self, url: str, sink: Callable[[bytes], Any]) -> None:
        """One GET, fed to SINK chunk by chunk, under the socket timeout and the deadline."""
        watch = _Watchdog()
        timer = threading.Timer(self.deadline, watch.expire)
        timer.daemon = True
        timer.start()
        received = 0
        try:
            with _opener(watch).open(url, timeout=self.timeout) as response:
                announced = response.headers.get("Content-Length", "")
                while chunk := response.read1(CHUNK):
                    received += len(chunk)
                    sink(chunk)
        except urllib.error.HTTPError:
            raise
        except (OSError, http.client.HTTPException) as exc:
            if watch.expired:
                raise self._too_slow(url, received) from exc
            raise
        finally:
            timer.cancel()
        if watch.expired:
            raise self._too_slow(url, received)
        if announced.isdigit() and received != int(announced):
            raise _CutShort(f"the body was cut short: received {received} of {announced} bytes")

    def _too_slow(self, url: str, received: int) -> DownloadError:
        return DownloadError(
            f"{url} did not finish within {self.deadline:g} s ({received} bytes received): "
            "the server is too slow or has stopped sending; giving up"
        )


def download_archive(
    month: str, dest: Path, *, client: Client | None = None, base_url: str = ARCHIVE_URL
) -> Path:
    """The monthly archive zip for ``YYYY-MM`` (all forces), saved into ``dest``."""
    return (client or Client()).download(
        urllib.parse.urljoin(base_url, f"{month}.zip"), dest / f"{month}.zip"
    )


def download_street_crimes(
    month: str,
    poly: list[tuple[float, float]],
    target: Path,
    *,
    force: str = "",
    client: Client | None = None,
    base_url: str = API_URL,
) -> int:
    """Street-level crimes in a polygon (lat, lng pairs) for a month, written as a police.uk CSV."""
    area = ":".join(f"{lat},{lng}" for lat, lng in poly)
    query = urllib.parse.urlencode({"poly": area, "date": month})
    body = (client or Client()).get(
        urllib.parse.urljoin(base_url, f"crimes-street/all-crime?{query}")
    )
    url = urllib.parse.urljoin(base_url, "crimes-street/all-crime")
    try:
        records = json.loads(body)
    except ValueError:
        records = None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise DownloadError(
            f"{url} for {month} answered with something that is not a list of crimes in "
            f"JSON (it began {body[:40]!r})"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "Crime ID",
                "Month",
                "Reported by",
                "Falls within",
                "Longitude",
                "Latitude",
                "Location",
                "LSOA code",
                "LSOA name",
                "Crime type",
                "Last outcome category",
                "Context",
            ]
        )
        for r in records:
            loc = r.get("location") or {}
            outcome = (r.get("outcome_status") or {}).get("category", "")
            writer.writerow(
                [
                    r.get("persistent_id", ""),
                    r.get("month", month),
                    force,
                    force,
                    loc.get("longitude", ""),
                    loc.get("latitude", ""),
                    (loc.get("street") or {}).get("name", ""),
                    "",
                    "",
                    CATEGORY_NAMES.get(r.get("category", ""), r.get("category", "")),
                    outcome,
                    r.get("context", ""),
                ]
            )
    return len(records)


#: Kinds of monthly file in the archive, as their names end.
KINDS = ("street", "outcomes", "stop-and-search")
#: The archive for a month holds that month and the 35 before it.
ARCHIVE_MONTHS = 36


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive, as ``YYYY-MM``.

    >>> months_between("2023-11", "2024-02")
    ['2023-11', '2023-12', '2024-01', '2024-02']
    """
    start, end = parse_month(first), parse_month(last)
    if end < start:
        raise ValueError(f"--to {last} is before --from {first}")
    out = []
    month = start
    while month <= end:
        out.append(f"{month:%Y-%m}")
        month = add_months(month, 1)
    return out


def archives_for(months: list[str]) -> list[str]:
    """The fewest monthly archives covering ``months`` (each holds 36 months), newest first.

    >>> archives_for(months_between("2020-01", "2023-12"))
    ['2023-12', '2020-12']
    """
    needed = sorted(months, reverse=True)
    out: list[str] = []
    while needed:
        newest = needed[0]
        out.append(newest)
        oldest = add_months(parse_month(newest), 1 - ARCHIVE_MONTHS)
        needed = [m for m in needed if parse_month(m) < oldest]
    return out


def extract_force_months(
    archive: Path, force: str, months: list[str], dest: Path, kinds: tuple[str, ...] = ("street",)
) -> list[Path]:
    """Take one force's files for ``months`` out of an archive zip into ``dest``.

    The archive is checked before anything is taken out: it must be a zip (its central
    directory readable), and every member taken is read whole, so its CRC is checked. A
    damaged archive raises :class:`DownloadError` and leaves none of its files in ``dest``.
    """
    if not zipfile.is_zipfile(archive):
        with archive.open("rb") as fh:
            start = fh.read(24)
        raise DownloadError(
            f"{archive.name} is not a zip archive, or not a whole one (it begins {start!r}): "
            "the server sent something else, or the file was cut short"
        )
    wanted = {f"{m}-{force}-{kind}.csv" for m in months for kind in kinds}
    out: list[Path] = []
    member = ""
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                name = Path(info.filename).name
                if name in wanted:
                    member, target = info.filename, dest / name
                    out.append(target)
                    with zf.open(info) as src, target.open("wb") as fh:
                        while chunk := src.read(1 << 20):
                            fh.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        for path in out:
            path.unlink(missing_ok=True)
        where = f"{member} in {archive.name}" if member else archive.name
        raise DownloadError(f"{where} could not be read ({exc}): the archive is damaged") from exc
    return sorted(out)


def force_name(force: str, *, client: Client | None = None, base_url: str = API_URL) -> str:
    """The force's name as the street CSVs write it ("Metropolitan Police Service")."""
    body = (client or Client()).get(urllib.parse.urljoin(base_url, f"forces/{force}"))
    return str(json.loads(body).get("name") or force)


@dataclass
class DownloadPlan:
    """What ``crimestats download`` fetches: one force, a run of months, from archive or API."""

    force: str
    months: list[str]
    source: str = "archive"  # or "api"
    archive_url: str = ARCHIVE_URL
    api_url: str = API_URL
    poly: list[tuple[float, float]] | None = None
    kinds: tuple[str, ...] = ("street",)

    def fetch(
        self, dest: Path, client: Client | None = None, *, archives: Path | None = None
    ) -> Iterator[list[Path]]:
        """Download into ``dest``, yielding each batch of CSVs as soon as it is on disk.

        Archive zips are saved in ``archives`` (default ``dest/archives``) and deleted once
        their files are out.
        """
        client = client or Client()
        dest.mkdir(parents=True, exist_ok=True)
        if self.source == "api":
            if not self.poly:
                raise ValueError("--api needs --poly: the API serves crimes inside an area")
            name = force_name(self.force, client=client, base_url=self.api_url)
            for month in self.months:
                target = dest / f"{month}-{self.force}-street.csv"
                download_street_crimes(
                    month, self.poly, target, force=name, client=client, base_url=self.api_url
                )
                yield [target]
            return
        for archive_month in archives_for(self.months):
            zipped = download_archive(
                archive_month,
                archives or dest / "archives",
                client=client,
                base_url=self.archive_url,
            )
            try:
                batch = extract_force_months(zipped, self.force, self.months, dest, self.kinds)
            finally:
                zipped.unlink()
            yield batch


def parse_poly(text: str) -> list[tuple[float, float]]:
    """``lat,lng:lat,lng:...`` as the API writes a polygon.

    >>> parse_poly("51.4,0.1:51.5,0.1:51.5,0.2")
    [(51.4, 0.1), (51.5, 0.1), (51.5, 0.2)]
    """
    points = []
    for pair in text.split(":"):
        match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*", pair)
        if not match:
            raise ValueError(f"not a lat,lng pair: {pair!r}")
        points.append((float(match.group(1)), float(match.group(2))))
    if len(points) < 3:
        raise ValueError("a polygon needs at least three points")
    return points
