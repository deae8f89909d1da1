"""Download from data.police.uk: the monthly archive and the API, politely.

The API allows 15 requests a second with bursts of up to 30; :class:`RateLimiter` is a token
bucket with exactly that shape, and HTTP 429 is retried after ``Retry-After`` (or an exponential
back-off).  Base URLs are parameters so tests run against a local server.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeVar

from crimestats.periods import add_months, parse_month

T = TypeVar("T")

ARCHIVE_URL = "https://data.police.uk/data/archive/"
API_URL = "https://data.police.uk/api/"

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
    """A rate-limited HTTP client that retries 429 and 5xx with back-off."""

    limiter: RateLimiter = field(default_factory=RateLimiter)
    max_retries: int = 5
    backoff: float = 0.5
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    retries_made: int = 0

    def get(self, url: str) -> bytes:
        """The body of a GET, or raise after ``max_retries`` refusals."""
        return self._fetch(url, lambda response: bytes(response.read()))

    def download(self, url: str, target: Path) -> Path:
        """Save a URL to a file, atomically (a partial download never looks complete).

        The body is streamed to disk: the monthly archive is gigabytes.
        """
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")

        def save(response: IO[bytes]) -> None:
            with partial.open("wb") as fh:
                shutil.copyfileobj(response, fh, 1 << 20)

        self._fetch(url, save)
        partial.replace(target)
        return target

    def _fetch(self, url: str, read: Callable[[IO[bytes]], T]) -> T:
        for attempt in range(self.max_retries + 1):
            self.limiter.acquire()
            try:
                with urllib.request.urlopen(url, timeout=self.timeout) as response:
                    return read(response)
            except urllib.error.HTTPError as exc:
                if (exc.code != 429 and exc.code < 500) or attempt == self.max_retries:
                    raise
                retry_after = exc.headers.get("Retry-After")
                delay = float(retry_after) if retry_after else self.backoff * 2**attempt
                self.retries_made += 1
                self.sleep(delay)
        raise RuntimeError("unreachable")  # pragma: no cover


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
    records = json.loads(body)
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
    """Take one force's files for ``months`` out of an archive zip into ``dest``."""
    wanted = {f"{m}-{force}-{kind}.csv" for m in months for kind in kinds}
    out = []
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            name = Path(info.filename).name
            if name in wanted:
                target = dest / name
                with zf.open(info) as src, target.open("wb") as fh:
                    shutil.copyfileobj(src, fh, 1 << 20)
                out.append(target)
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

    def fetch(self, dest: Path, client: Client | None = None) -> Iterator[list[Path]]:
        """Download into ``dest``, yielding each batch of CSVs as soon as it is on disk."""
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
                archive_month, dest / "archives", client=client, base_url=self.archive_url
            )
            try:
                yield extract_force_months(zipped, self.force, self.months, dest, self.kinds)
            finally:
                zipped.unlink()


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
