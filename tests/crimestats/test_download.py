"""The downloader against a local HTTP server: 429 back-off, archive and API."""

from __future__ import annotations

import csv
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from crimestats_testdata import CITY

from crimestats.cli import main
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


# --- crimestats download: the CLI against a local server ------------------------------------


class Files(BaseHTTPRequestHandler):
    """Serves ``Files.routes`` (path -> body); the first request of all is refused with 429."""

    routes: dict[str, bytes] = {}
    seen: list[str] = []
    refused = False

    def do_GET(self) -> None:
        Files.seen.append(self.path)
        if not Files.refused:
            Files.refused = True
            self.send_response(429)
            self.send_header("Retry-After", "0")
            self.end_headers()
            return
        route = self.path.split("?")[0]
        body = Files.routes.get(route)
        if body is None and route.startswith("/api/crimes-street/"):
            body = json.dumps(CRIMES).encode()
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def files_server() -> Iterator[str]:
    Files.routes, Files.seen, Files.refused = {}, [], False
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Files)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def _archive(members: dict[str, Path]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, path in members.items():
            zf.write(path, name)
    return buf.getvalue()


def _data_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_cli_download_archive_imports_the_force_and_months_asked_for(
    files_server: str, tmp_path: Path
) -> None:
    jan, feb, mar = (CITY / f"2023-0{m}-city-of-london-street.csv" for m in (1, 2, 3))
    Files.routes["/data/archive/2023-02.zip"] = _archive(
        {
            "2023-01/2023-01-city-of-london-street.csv": jan,
            "2023-02/2023-02-city-of-london-street.csv": feb,
            "2023-02/2023-02-city-of-london-outcomes.csv": feb,  # not asked for
            "2023-02/2023-02-metropolitan-street.csv": feb,  # another force
        }
    )
    Files.routes["/data/archive/2023-03.zip"] = _archive(
        {"2023-03/2023-03-city-of-london-street.csv": mar}
    )
    data_dir = tmp_path / "data"
    status = main(
        [
            "--data-dir",
            str(data_dir),
            "download",
            "--force",
            "city-of-london",
            "--from",
            "2023-01",
            "--to",
            "2023-02",
            "--archive",
            files_server + "data/archive/",
            "--save",
            str(tmp_path / "saved"),
            "-q",
        ]
    )
    assert status == 0
    # One archive covers both months (each holds 36); the first request was refused once.
    assert Files.seen == ["/data/archive/2023-02.zip"] * 2
    assert sorted(p.name for p in (tmp_path / "saved").glob("*.csv")) == [
        "2023-01-city-of-london-street.csv",
        "2023-02-city-of-london-street.csv",
    ]
    with Warehouse(data_dir / "crimestats" / "warehouse.duckdb", read_only=True) as wh:
        got = wh.con.execute(
            "SELECT strftime(month, '%Y-%m'), count(*) FROM street_crimes GROUP BY 1 ORDER BY 1"
        ).fetchall()
        sources = wh.con.execute("SELECT file_name FROM sources ORDER BY 1").fetchall()
    assert got == [("2023-01", _data_rows(jan)), ("2023-02", _data_rows(feb))]
    assert sources == [
        ("2023-01-city-of-london-street.csv",),
        ("2023-02-city-of-london-street.csv",),
    ]


def test_cli_download_api_writes_and_imports_each_month(files_server: str, tmp_path: Path) -> None:
    Files.routes["/api/forces/metropolitan"] = json.dumps(
        {"id": "metropolitan", "name": "Metropolitan Police Service"}
    ).encode()
    data_dir = tmp_path / "data"
    status = main(
        [
            "--data-dir",
            str(data_dir),
            "download",
            "--force",
            "metropolitan",
            "--from",
            "2024-01",
            "--to",
            "2024-02",
            "--api",
            files_server + "api/",
            "--poly",
            "51.4,0.1:51.5,0.1:51.5,0.2",
            "-q",
        ]
    )
    assert status == 0
    asked = [p for p in Files.seen if "crimes-street" in p]
    assert [p.split("date=")[1] for p in asked] == ["2024-01", "2024-02"]
    with Warehouse(data_dir / "crimestats" / "warehouse.duckdb", read_only=True) as wh:
        got = wh.con.execute(
            "SELECT count(*), count(DISTINCT source_id), any_value(reported_by) FROM street_crimes"
        ).fetchone()
    # The fake API answers every month with the same two crimes (both dated 2024-01 in the
    # JSON), so the second month's file replaces the first month's slice: two rows remain.
    assert got == (len(CRIMES), 1, "Metropolitan Police Service")


def test_cli_download_save_only_touches_no_warehouse(files_server: str, tmp_path: Path) -> None:
    jan = CITY / "2023-01-city-of-london-street.csv"
    Files.routes["/data/archive/2023-01.zip"] = _archive(
        {"2023-01/2023-01-city-of-london-street.csv": jan}
    )
    data_dir = tmp_path / "data"
    args = ["--data-dir", str(data_dir), "download", "--force", "city-of-london"]
    args += ["--from", "2023-01", "--to", "2023-01", "--archive", files_server + "data/archive/"]
    assert main([*args, "--no-import", "-q"]) == 2  # nowhere to keep the files
    assert main([*args, "--no-import", "--save", str(tmp_path / "saved"), "-q"]) == 0
    assert (tmp_path / "saved" / jan.name).read_bytes() == jan.read_bytes()
    assert not (data_dir / "crimestats").exists()


def test_cli_download_api_without_an_area_is_refused(tmp_path: Path) -> None:
    args = ["--data-dir", str(tmp_path), "download", "--force", "metropolitan"]
    assert main([*args, "--from", "2024-01", "--to", "2024-01", "--api", "-q"]) == 2
    assert main([*args, "--from", "2024-02", "--to", "2024-01", "-q"]) == 2


def test_archives_needed_for_a_long_run_of_months() -> None:
    from crimestats.download import archives_for, months_between

    months = months_between("2019-01", "2023-12")
    chosen = archives_for(months)
    covered = {
        m for a in chosen for m in months_between("2000-01", a)[-36:]
    }  # each archive: its month and the 35 before
    assert set(months) <= covered
    assert chosen == ["2023-12", "2020-12"]
