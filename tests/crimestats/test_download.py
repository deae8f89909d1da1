"""The downloader against a local HTTP server: 429 back-off, archive and API."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from crimestats_testdata import CITY

from crimestats.cli import main
from crimestats.download import (
    Client,
    DownloadError,
    RateLimiter,
    download_archive,
    download_street_crimes,
)
from crimestats.importers import import_paths
from crimestats.warehouse import Warehouse

pytestmark = pytest.mark.realdata  # reads the real open data folder (tests/realdata.py)

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
    Handler.refusals = 10
    with pytest.raises(DownloadError, match=r"gave up on .* after 3 attempts: HTTP 429"):
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


# --- a server that misbehaves: long Retry-After, trickling, cut short, not a zip -------------


class Misbehaving(BaseHTTPRequestHandler):
    """Each path is a behaviour: ``Misbehaving.script[path]`` is a list of steps, one per request
    (the last repeats): ("429", retry_after) | ("body", bytes) | ("short", bytes, length) |
    ("trickle-body", length) | ("trickle-headers",)."""

    script: dict[str, list[tuple]] = {}
    seen: list[str] = []

    def do_GET(self) -> None:
        Misbehaving.seen.append(self.path)
        steps = Misbehaving.script[self.path.split("?")[0]]
        step = steps.pop(0) if len(steps) > 1 else steps[0]
        kind = step[0]
        try:
            if kind == "429":
                self.send_response(429)
                self.send_header("Retry-After", step[1])
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif kind == "body":
                self.send_response(200)
                self.send_header("Content-Length", str(len(step[1])))
                self.end_headers()
                self.wfile.write(step[1])
            elif kind == "short":  # promises LENGTH bytes, sends fewer, hangs up
                self.send_response(200)
                self.send_header("Content-Length", str(step[2]))
                self.end_headers()
                self.wfile.write(step[1])
                self.close_connection = True
            elif kind == "trickle-body":  # one byte every 20 ms, never finishing
                self.send_response(200)
                self.send_header("Content-Length", str(step[1]))
                self.end_headers()
                while True:
                    self.wfile.write(b"x")
                    time.sleep(0.02)
            elif kind == "trickle-headers":  # the headers themselves never end
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                while True:
                    self.wfile.write(b"x")
                    time.sleep(0.02)
        except OSError:  # the client gave up and hung up
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def bad_server() -> Iterator[str]:
    Misbehaving.script, Misbehaving.seen = {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_a_retry_after_of_a_day_is_capped_and_then_given_up_on(bad_server: str) -> None:
    Misbehaving.script["/x"] = [("429", "86400")]
    waits: list[float] = []
    client = Client(sleep=waits.append)  # the defaults: no test-only limits
    with pytest.raises(DownloadError) as caught:
        client.get(bad_server + "x")
    message = str(caught.value)
    assert "gave up" in message and "86400" in message and "429" in message
    assert len(Misbehaving.seen) == client.max_retries + 1  # a bounded number of tries
    assert waits == [client.max_retry_after] * client.max_retries  # never the day asked for
    assert client.max_retry_after <= 600


def test_a_retry_after_date_far_ahead_is_capped_and_said(bad_server: str) -> None:
    Misbehaving.script["/x"] = [("429", "Fri, 31 Dec 2100 23:59:59 GMT"), ("body", b"ok")]
    waits: list[float] = []
    notices: list[str] = []
    client = Client(sleep=waits.append, max_retry_after=7, notify=notices.append)
    assert client.get(bad_server + "x") == b"ok"
    assert waits == [7]
    [notice] = notices
    assert "7" in notice and bad_server + "x" in notice  # it says it waits less than asked


def test_a_retry_after_date_is_waited_for_when_it_is_near() -> None:
    from crimestats.download import retry_after_seconds

    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Mon, 01 Jan 2024 12:00:30 GMT", now) == 30
    assert retry_after_seconds("Mon, 01 Jan 2024 11:00:00 GMT", now) == 0  # already past
    assert retry_after_seconds("120", now) == 120
    for unreadable in ("", "soon", "-5", "1e9", "inf", "nan", "1.5"):
        assert retry_after_seconds(unreadable, now) is None  # then the back-off applies


def test_an_unreadable_retry_after_falls_back_to_the_back_off(bad_server: str) -> None:
    Misbehaving.script["/x"] = [("429", "soon"), ("429", "inf"), ("body", b"ok")]
    waits: list[float] = []
    assert Client(sleep=waits.append, backoff=0.5).get(bad_server + "x") == b"ok"
    assert waits == [0.5, 1.0]


@pytest.mark.parametrize("kind", ["trickle-body", "trickle-headers"])
def test_a_trickling_server_meets_the_deadline_not_a_hang(
    bad_server: str, tmp_path: Path, kind: str
) -> None:
    Misbehaving.script["/data/archive/2024-01.zip"] = [(kind, 10_000)]
    client = Client(sleep=lambda s: None, deadline=0.3, timeout=5)
    with pytest.raises(DownloadError, match=r"0\.3 s"):
        download_archive("2024-01", tmp_path, client=client, base_url=bad_server + "data/archive/")
    assert list(tmp_path.iterdir()) == []  # no partial file left
    assert len(Misbehaving.seen) == 1  # a deadline is not retried


def test_a_body_cut_short_is_retried_then_refused_naming_the_shortfall(
    bad_server: str, tmp_path: Path
) -> None:
    Misbehaving.script["/data/archive/2024-01.zip"] = [("short", b"PK\x03\x04" + b"x" * 496, 1000)]
    client = Client(sleep=lambda s: None, max_retries=2)
    with pytest.raises(DownloadError) as caught:
        download_archive("2024-01", tmp_path, client=client, base_url=bad_server + "data/archive/")
    assert "500 of 1000 bytes" in str(caught.value) and "gave up" in str(caught.value)
    assert len(Misbehaving.seen) == 3
    assert list(tmp_path.iterdir()) == []


def test_a_body_cut_short_once_is_fetched_again_whole(bad_server: str, tmp_path: Path) -> None:
    whole = b"PK" + bytes(range(256)) * 4
    Misbehaving.script["/data/archive/2024-01.zip"] = [
        ("short", whole[:100], len(whole)),
        ("body", whole),
    ]
    client = Client(sleep=lambda s: None)
    path = download_archive(
        "2024-01", tmp_path, client=client, base_url=bad_server + "data/archive/"
    )
    assert path.read_bytes() == whole
    assert client.retries_made == 1


def _download_args(data_dir: Path, server: str) -> list[str]:
    return [
        "--data-dir",
        str(data_dir),
        "download",
        "--force",
        "city-of-london",
        "--from",
        "2023-01",
        "--to",
        "2023-01",
        "--archive",
        server + "data/archive/",
        "-q",
    ]


def _damaged_zip() -> bytes:
    """A real archive whose member's bytes were altered after it was written (CRC mismatch)."""
    jan = (CITY / "2023-01-city-of-london-street.csv").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("2023-01/2023-01-city-of-london-street.csv", jan)
    data = bytearray(buf.getvalue())
    at = data.index(b"Crime ID") + 200
    data[at] = ord("#") if data[at] != ord("#") else ord("!")
    return bytes(data)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"<html><body>Down for maintenance</body></html>", "not a zip archive"),
        (b"PK\x03\x04 and then nothing a zip would hold", "not a zip archive"),
        (None, "could not be read"),  # a damaged member: the CRC check fails
    ],
)
def test_cli_download_of_a_body_that_is_no_good_zip_is_a_clean_refusal(
    bad_server: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    body: bytes | None,
    said: str,
) -> None:
    Misbehaving.script["/data/archive/2023-01.zip"] = [("body", body or _damaged_zip())]
    status = main(_download_args(tmp_path / "data", bad_server))
    err = capsys.readouterr().err
    assert status == 2
    assert "download failed" in err and said in err and "2023-01.zip" in err
    assert "Traceback" not in err
    assert not (tmp_path / "data" / "crimestats" / "warehouse.duckdb").exists()  # nothing imported


def test_cli_download_cut_short_is_a_clean_refusal(
    bad_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jan = CITY / "2023-01-city-of-london-street.csv"
    whole = _archive({"2023-01/2023-01-city-of-london-street.csv": jan})
    Misbehaving.script["/data/archive/2023-01.zip"] = [("short", whole[:-100], len(whole))]
    no_waiting = Client(sleep=lambda s: None)
    status = main(_download_args(tmp_path / "data", bad_server), client=no_waiting)
    err = capsys.readouterr().err
    assert status == 2 and "download failed" in err and f"of {len(whole)} bytes" in err
    assert no_waiting.retries_made == no_waiting.max_retries
    assert not (tmp_path / "data" / "crimestats" / "warehouse.duckdb").exists()


def test_api_answer_that_is_not_a_list_of_crimes_is_refused(
    bad_server: str, tmp_path: Path
) -> None:
    Misbehaving.script["/api/crimes-street/all-crime"] = [("body", b"<html>error</html>")]
    with pytest.raises(DownloadError, match="not a list of crimes"):
        download_street_crimes(
            "2024-01",
            [(51.4, 0.1), (51.5, 0.1), (51.5, 0.2)],
            tmp_path / "x.csv",
            client=Client(sleep=lambda s: None),
            base_url=bad_server + "api/",
        )
    assert not (tmp_path / "x.csv").exists()


def test_cli_download_waits_its_turn_then_gives_up_saying_why(
    files_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    import crimestats.cli
    from crimestats.config import warehouse_path

    jan = CITY / "2023-01-city-of-london-street.csv"
    Files.routes["/data/archive/2023-01.zip"] = _archive(
        {"2023-01/2023-01-city-of-london-street.csv": jan}
    )
    monkeypatch.setattr(crimestats.cli, "DOWNLOAD_LOCK_WAIT", 0.2)
    data_dir = tmp_path / "data"
    args = ["--data-dir", str(data_dir), "download", "--force", "city-of-london"]
    args += ["--from", "2023-01", "--to", "2023-01", "--archive", files_server + "data/archive/"]
    with Warehouse(warehouse_path(data_dir)):  # another import holds the lock throughout
        status = main([*args, "-q"], client=Client(sleep=lambda s: None))
    err = capsys.readouterr().err
    assert status == 2
    assert "waiting up to" in err and "another import" in err
    with Warehouse(warehouse_path(data_dir), read_only=True) as wh:
        assert wh.con.execute("SELECT count(*) FROM sources").fetchone() == (0,)
