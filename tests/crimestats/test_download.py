"""The downloader against a local HTTP server: 429 back-off, archive and API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crimestats.download import Client, RateLimiter, download_archive, download_street_crimes
from crimestats.importers import import_paths
from crimestats.warehouse import Warehouse

CRIMES = [
    {
        "category": "violent-crime",
        "persistent_id": "abc",
        "month": "2024-01",
        "context": "",
        "location": {"latitude": "51.45", "longitude": "0.15", "street": {"name": "On or near X"}},
        "outcome_status": {"category": "Under investigation"},
    },
    {
        "category": "anti-social-behaviour",
        "persistent_id": "",
        "month": "2024-01",
        "context": "",
        "location": {"latitude": "51.46", "longitude": "0.16", "street": {"name": "On or near Y"}},
        "outcome_status": None,
    },
]


class Handler(BaseHTTPRequestHandler):
    refusals = 2
    seen: list[str] = []

    def do_GET(self) -> None:
        Handler.seen.append(self.path)
        if Handler.refusals > 0:
            Handler.refusals -= 1
            self.send_response(429)
            self.send_header("Retry-After", "0")
            self.end_headers()
            return
        body = json.dumps(CRIMES).encode() if "crimes-street" in self.path else b"PK zip bytes"
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Handler.refusals, Handler.seen = 2, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def test_429_is_retried_then_succeeds(server: str, tmp_path: Path) -> None:
    client = Client(sleep=lambda s: None)
    path = download_archive("2024-01", tmp_path, client=client, base_url=server + "data/archive/")
    assert path.read_bytes() == b"PK zip bytes"
    assert client.retries_made == 2
    assert Handler.seen == ["/data/archive/2024-01.zip"] * 3


def test_gives_up_after_max_retries(server: str) -> None:
    import urllib.error

    Handler.refusals = 10
    with pytest.raises(urllib.error.HTTPError):
        Client(max_retries=2, sleep=lambda s: None).get(server + "x")
    assert len(Handler.seen) == 3


def test_api_crimes_become_an_importable_street_csv(server: str, tmp_path: Path) -> None:
    target = tmp_path / "2024-01-api-street.csv"
    n = download_street_crimes(
        "2024-01",
        [(51.4, 0.1), (51.5, 0.1), (51.5, 0.2)],
        target,
        force="Metropolitan Police Service",
        client=Client(sleep=lambda s: None),
        base_url=server + "api/",
    )
    assert n == 2
    assert "poly=51.4%2C0.1%3A51.5%2C0.1%3A51.5%2C0.2" in Handler.seen[-1]
    with Warehouse(tmp_path / "w.duckdb") as wh:
        [result] = import_paths([target], wh, quiet=True)
        types = wh.con.execute("SELECT crime_type FROM street_crimes ORDER BY 1").fetchall()
    assert result.status == "imported"
    assert types == [("Anti-social behaviour",), ("Violence and sexual offences",)]


def test_rate_limiter_allows_a_burst_of_30_then_15_a_second() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(s: float) -> None:
        waits.append(s)
        now[0] += s

    limiter = RateLimiter(15, 30, clock=lambda: now[0], sleep=sleep)
    for _ in range(30):
        limiter.acquire()
    assert waits == []
    for _ in range(15):
        limiter.acquire()
    assert now[0] == pytest.approx(1.0)
    assert all(w == pytest.approx(1 / 15) for w in waits)
