"""Download from data.police.uk: the monthly archive and the API, politely.

The API allows 15 requests a second with bursts of up to 30; :class:`RateLimiter` is a token
bucket with exactly that shape, and HTTP 429 is retried after ``Retry-After`` (or an exponential
back-off).  Base URLs are parameters so tests run against a local server.
"""

from __future__ import annotations

import csv
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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
        for attempt in range(self.max_retries + 1):
            self.limiter.acquire()
            try:
                with urllib.request.urlopen(url, timeout=self.timeout) as response:
                    return bytes(response.read())
            except urllib.error.HTTPError as exc:
                if (exc.code != 429 and exc.code < 500) or attempt == self.max_retries:
                    raise
                retry_after = exc.headers.get("Retry-After")
                delay = float(retry_after) if retry_after else self.backoff * 2**attempt
                self.retries_made += 1
                self.sleep(delay)
        raise RuntimeError("unreachable")  # pragma: no cover

    def download(self, url: str, target: Path) -> Path:
        """Save a URL to a file, atomically (a partial download never looks complete)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        partial.write_bytes(self.get(url))
        partial.replace(target)
        return target


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
