"""Malformed inputs are refused naming file, row and reason, and change nothing in the warehouse.

Every input is a real file from the shared data (or a slice of one) with one thing broken; the
expected rows, columns and totals come from the test itself (the csv module), not from the
importer.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import duckdb
import pytest
from crimestats_testdata import CITY, DASHBOARD, DATA, RECENT_2023, STOP_SEARCH, fingerprint

from crimestats.importers import import_paths
from crimestats.importers.base import Detected, ImportRejected, write_staged_facts
from crimestats.warehouse import Warehouse

pytestmark = pytest.mark.realdata  # reads the real open data folder (tests/realdata.py)

STREET = CITY / "2023-01-city-of-london-street.csv"
STREET_FEB = CITY / "2023-02-city-of-london-street.csv"
STOP = STOP_SEARCH / "2022-01-cheshire-stop-and-search-first10rows.csv"
WARD = DATA / "mps" / "ward" / "MPS Ward Level Crime (most recent 24 months) 202311-202510.csv"
LSOA = DATA / "mps" / "lsoa" / "MPS LSOA Level Crime (most recent 24 months) 202308-202507.csv"
WARDS_GEO = DATA / "geo" / "bexley" / "bexley_wards2025.geojson"
KNIFE = DASHBOARD / "MPS Monthly Crime Dashboard knife 202203-202602 (normalised columns).parquet"


def read_rows(path: Path, limit: int | None = None) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows if limit is None else rows[: limit + 1]


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig").splitlines()


def write_lines(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    return path


def refused(results: list, name: str) -> str:
    """The one refusal for NAME among RESULTS."""
    [error] = [r.error for r in results if r.status == "rejected" and name in r.file_name]
    assert error.startswith(name), error
    return error


def imported_with_base(tmp_path: Path, base: list[Path], bad: list[Path]) -> tuple[list, bool]:
    """Import BASE, then BAD; return BAD's results and whether the warehouse stayed the same."""
    with Warehouse(tmp_path / "w.duckdb") as wh:
        if base:
            assert {r.status for r in import_paths(base, wh, quiet=True)} == {"imported"}
        before = fingerprint(wh)
        results = import_paths(bad, wh, quiet=True)
        after = fingerprint(wh)
    return results, before == after


# --- 12: a file with a header and no data rows never empties months ---------------------------


@pytest.mark.parametrize("source", [RECENT_2023, STREET, STOP], ids=["mps", "street", "stop"])
def test_a_header_only_file_is_refused_and_keeps_the_months_it_names(
    tmp_path: Path, source: Path
) -> None:
    empty = write_rows(tmp_path / "in" / source.name, read_rows(source)[:1])
    results, unchanged = imported_with_base(tmp_path, [source], [empty])
    error = refused(results, source.name)
    assert "(row 1)" in error and "no data rows" in error
    assert unchanged


def test_a_staged_slice_with_no_rows_behind_it_is_not_written(tmp_path: Path) -> None:
    """The writer itself refuses to replace a slice when no row of the file backs it."""
    detected = Detected("mps_borough", "MPS borough", "mps_wide", "mps_2023", "borough")
    with Warehouse(tmp_path / "w.duckdb") as wh:
        import_paths([RECENT_2023], wh, quiet=True)
        before = fingerprint(wh)
        con = wh.con
        con.execute("BEGIN TRANSACTION")
        con.execute(
            "CREATE OR REPLACE TEMP TABLE stage_facts AS SELECT * EXCLUDE (source_id) "
            "FROM mps_counts LIMIT 0"
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE stage_slices AS SELECT 'mps_2023' AS classification, "
            "'borough' AS level, 'MPS' AS scope, DATE '2024-01-01' AS month, 0 AS rows"
        )
        with pytest.raises(ImportRejected, match=r"empty\.csv \(row 1\): no data rows"):
            write_staged_facts(con, detected=detected, file_name="empty.csv", sha256="0")
        con.execute("ROLLBACK")
        assert fingerprint(wh) == before


# --- 13: counts and coordinates are checked as written ----------------------------------------


@pytest.mark.parametrize(
    "value", ["1.5", "1e3", "0x10", "1_000", "+5", " 5", "5 ", "-1", "\u0663", "", "9999999999"]
)
def test_an_mps_count_that_is_not_digits_is_refused(tmp_path: Path, value: str) -> None:
    rows = read_rows(RECENT_2023)
    column = rows[0].index("202401")
    rows[3][column] = value  # data row 3
    bad = write_rows(tmp_path / "in" / RECENT_2023.name, rows)
    results, unchanged = imported_with_base(tmp_path, [RECENT_2023], [bad])
    error = refused(results, RECENT_2023.name)
    reason = (
        "more crimes than one cell can hold"
        if value.isascii() and value.isdigit()
        else "not a whole number"
    )
    assert "(row 3, column '202401')" in error and reason in error
    assert unchanged


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("Longitude", "1_0"),
        ("Longitude", "-0.1e1"),
        ("Longitude", "+0.1"),
        ("Longitude", " -0.1"),
        ("Longitude", ".5"),
        ("Longitude", "1."),
        ("Longitude", "nan"),
        ("Latitude", "inf"),
        ("Latitude", "5_1.5"),
        ("Latitude", ""),  # a latitude missing beside a longitude
    ],
)
def test_a_coordinate_that_is_not_a_plain_decimal_is_refused(
    tmp_path: Path, column: str, value: str
) -> None:
    rows = read_rows(STREET)
    rows[3][rows[0].index(column)] = value
    bad = write_rows(tmp_path / "in" / STREET.name, rows)
    results, unchanged = imported_with_base(tmp_path, [], [bad])
    error = refused(results, STREET.name)
    assert f"(row 3, column '{column}')" in error and f"not a {column.lower()}" in error
    assert unchanged


def test_a_stop_and_search_coordinate_with_an_underscore_is_refused(tmp_path: Path) -> None:
    rows = read_rows(STOP)
    rows[2][rows[0].index("Latitude")] = "5_3.1"
    bad = write_rows(tmp_path / "in" / STOP.name, rows)
    results, unchanged = imported_with_base(tmp_path, [], [bad])
    error = refused(results, STOP.name)
    assert "(row 2, column 'Latitude')" in error and "not a latitude" in error
    assert unchanged


def test_a_dashboard_count_with_a_fraction_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "dashboard knife.parquet"
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT * REPLACE (count::DOUBLE AS count) FROM read_parquet(?) LIMIT 40",
        [str(KNIFE)],
    )
    con.execute("UPDATE t SET count = 2.5 WHERE rowid = 4")  # data row 5
    con.execute(f"COPY t TO '{bad}' (FORMAT parquet)")
    con.close()
    results, unchanged = imported_with_base(tmp_path, [], [bad])
    error = refused(results, bad.name)
    assert "(row 5, column 'count')" in error and "not a whole number" in error
    assert unchanged


# --- 14: structure: fields per row, quoting, repeated columns, blank codes and types ----------


def test_a_stray_comma_in_a_street_row_is_refused_with_its_row(tmp_path: Path) -> None:
    lines = lines_of(STREET)
    lines[3] = lines[3].replace("On or near ", "On or near Holborn, ", 1)  # data row 3
    bad = write_lines(tmp_path / "in" / STREET.name, lines)
    results, unchanged = imported_with_base(tmp_path, [], [bad])
    error = refused(results, STREET.name)
    assert "(row 3)" in error and "13 fields" in error and "12" in error
    assert unchanged


@pytest.mark.parametrize("change", ["extra", "missing"])
def test_an_mps_row_with_the_wrong_number_of_fields_names_the_row(
    tmp_path: Path, change: str
) -> None:
    lines = lines_of(RECENT_2023)
    lines[5] = lines[5] + ",3" if change == "extra" else lines[5].rsplit(",", 1)[0]
    bad = write_lines(tmp_path / "in" / RECENT_2023.name, lines)
    results, unchanged = imported_with_base(tmp_path, [RECENT_2023], [bad])
    error = refused(results, RECENT_2023.name)
    fields = 28 if change == "extra" else 26
    assert "(row 5)" in error and f"{fields} fields" in error and "27" in error
    assert "Binder Error" not in error
    assert unchanged


@pytest.mark.parametrize(
    "quoted", ['"On or near Holborn', '"On or near" Holborn'], ids=["unclosed", "after"]
)
def test_broken_quoting_is_refused_with_its_row(tmp_path: Path, quoted: str) -> None:
    lines = lines_of(STREET)
    fields = lines[3].split(",")
    fields[6] = quoted
    lines[3] = ",".join(fields)
    bad = write_lines(tmp_path / "in" / STREET.name, lines)
    results, unchanged = imported_with_base(tmp_path, [], [bad])
    error = refused(results, STREET.name)
    assert "(row 3)" in error and "quot" in error
    assert unchanged


@pytest.mark.parametrize("name", ["202401", " 202401"], ids=["same", "padded"])
def test_a_repeated_month_column_is_refused(tmp_path: Path, name: str) -> None:
    rows = read_rows(RECENT_2023)
    rows[0][rows[0].index("202402")] = name
    bad = write_rows(tmp_path / "in" / RECENT_2023.name, rows)
    results, unchanged = imported_with_base(tmp_path, [RECENT_2023], [bad])
    error = refused(results, RECENT_2023.name)
    assert "(header row, column '202401')" in error and "twice" in error
    assert unchanged


@pytest.mark.parametrize(
    ("source", "column", "value", "reason"),
    [
        (WARD, "WardCode", "", "not a GSS code"),
        (LSOA, "LSOA Code", "", "not a GSS code"),
        (STREET, "LSOA code", "", "not a GSS code"),
        (STREET, "Crime type", "\t", "no crime type"),
        (RECENT_2023, "MajorText", "\t", "empty major category"),
        (RECENT_2023, "MinorText", " \t ", "empty minor category"),
    ],
)
def test_blank_codes_and_whitespace_types_are_refused(
    tmp_path: Path, source: Path, column: str, value: str, reason: str
) -> None:
    rows = read_rows(source, limit=40)
    rows[4][rows[0].index(column)] = value
    bad = write_rows(tmp_path / "in" / source.name, rows)
    results, unchanged = imported_with_base(tmp_path, [], [bad])
    error = refused(results, source.name)
    assert f"(row 4, column '{column}')" in error and reason in error
    assert unchanged


# --- 15: zip archives ------------------------------------------------------------------------


def test_a_zip_member_outside_the_archive_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "2023-01-city-of-london-street.csv"
    secret.parent.mkdir()
    write_rows(secret, read_rows(STREET, limit=5))
    archive = tmp_path / "archive.zip"
    climb = "../" * 30  # enough to reach / from wherever the archive is unpacked
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(climb + str(secret).lstrip("/"), "x")
        zf.writestr(str(secret), "x")  # an absolute path
        zf.write(STREET_FEB, STREET_FEB.name)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = import_paths([archive], wh, quiet=True)
        rows = wh.con.execute("SELECT count(*) FROM street_crimes").fetchone()
    refusals = [r.error for r in results if r.status == "rejected"]
    assert len(refusals) == 2
    assert all("archive.zip!" in e and "outside the archive" in e for e in refusals)
    assert rows == (len(read_rows(STREET_FEB)) - 1,)  # the good member, and nothing of secret's


def test_two_members_with_one_name_are_both_refused_and_the_rest_import(tmp_path: Path) -> None:
    archive = tmp_path / "twice.zip"
    with zipfile.ZipFile(archive, "w") as zf, pytest.warns(UserWarning, match="Duplicate"):
        zf.write(STREET, STREET.name)
        zf.write(STREET_FEB, STREET.name)  # February's rows under January's name
        zf.write(STREET_FEB, STREET_FEB.name)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = import_paths([archive], wh, quiet=True)
        months = wh.con.execute(
            "SELECT strftime(month, '%Y-%m'), count(*) FROM street_crimes GROUP BY ALL"
        ).fetchall()
    refusals = [r.error for r in results if r.status == "rejected"]
    assert len(refusals) == 2
    assert all(e.startswith(f"twice.zip!{STREET.name}") and "2 members" in e for e in refusals)
    assert months == [("2023-02", len(read_rows(STREET_FEB)) - 1)]


def _stored_zip(path: Path, member: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(member, data)
    return path


def _damaged(kind: str, path: Path) -> Path:
    """A zip archive broken in one way, holding (if anything) a real street file."""
    data = STREET.read_bytes()
    if kind == "garbage":
        path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 40)
    elif kind == "empty file":
        path.write_bytes(b"")
    elif kind == "no members":
        zipfile.ZipFile(path, "w").close()
    elif kind == "truncated":
        _stored_zip(path, STREET.name, data)
        path.write_bytes(path.read_bytes()[: len(data) // 2])
    elif kind == "crc":
        _stored_zip(path, STREET.name, data)
        raw = bytearray(path.read_bytes())
        raw[30 + len(STREET.name) + 1000] ^= 0xFF  # a byte inside the member's data
        path.write_bytes(bytes(raw))
    elif kind == "encrypted":
        _stored_zip(path, STREET.name, data)
        raw = bytearray(path.read_bytes())
        raw[6] |= 1  # the "encrypted" flag, in the local header and the central directory
        raw[raw.rfind(b"PK\x01\x02") + 8] |= 1
        path.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("garbage", "not a zip archive"),
        ("empty file", "not a zip archive"),
        ("no members", "no data files"),
        ("truncated", "not a zip archive"),
        ("crc", "damaged"),
        ("encrypted", "encrypted"),
    ],
)
def test_a_damaged_zip_is_refused_by_name_and_good_files_beside_it_import(
    tmp_path: Path, kind: str, reason: str
) -> None:
    bad = _damaged(kind, tmp_path / "damaged.zip")
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = import_paths([bad, STREET_FEB], wh, quiet=True)
        rows = wh.con.execute("SELECT count(*) FROM street_crimes").fetchone()
    error = refused(results, "damaged.zip")
    assert reason in error
    assert [r.file_name for r in results if r.status == "imported"] == [STREET_FEB.name]
    assert rows == (len(read_rows(STREET_FEB)) - 1,)


def _geojson(tmp_path: Path, name: str, change: str) -> Path:
    text = WARDS_GEO.read_text(encoding="utf-8")
    path = tmp_path / name
    if change == "truncated":
        path.write_text(text[: len(text) // 2], encoding="utf-8")
        return path
    data = json.loads(text)
    feature = data["features"][2]  # feature 3
    if change == "no geometry":
        feature["geometry"] = None
    elif change == "features not a list":
        data["features"] = {"a": 1}
    elif change == "bad coordinates":
        feature["geometry"] = {"type": "Polygon", "coordinates": [[["x", 1]]]}
    elif change == "population":
        for f in data["features"]:
            f["properties"]["POPULATION"] = 100
        feature["properties"]["POPULATION"] = "many"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ("truncated", "not valid JSON"),
        ("no geometry", "(row 3"),
        ("features not a list", "features"),
        ("bad coordinates", "(row 3"),
        ("population", "(row 3, column 'POPULATION')"),
    ],
)
def test_malformed_geojson_is_refused_by_name_and_good_files_beside_it_import(
    tmp_path: Path, change: str, where: str
) -> None:
    bad = _geojson(tmp_path, "wards.geojson", change)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = import_paths([bad, STREET_FEB], wh, quiet=True)
        boundaries = wh.con.execute("SELECT count(*) FROM boundaries").fetchone()
    error = refused(results, "wards.geojson")
    assert where in error
    assert [r.file_name for r in results if r.status == "imported"] == [STREET_FEB.name]
    assert boundaries == (0,)


@pytest.mark.parametrize("content", [b"PAR1garbage", b"PAR1" + b"\x00" * 200 + b"PAR1"])
def test_garbage_parquet_is_refused_by_name_and_good_files_beside_it_import(
    tmp_path: Path, content: bytes
) -> None:
    bad = tmp_path / "dashboard.parquet"
    bad.write_bytes(content)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = import_paths([bad, STREET_FEB], wh, quiet=True)
    error = refused(results, "dashboard.parquet")
    assert "not a Parquet file" in error
    assert [r.file_name for r in results if r.status == "imported"] == [STREET_FEB.name]


# --- 16: impossible months, huge fields, and a row in every refusal ----------------------------


def test_month_0000_01_is_refused_by_name_and_nothing_is_committed(tmp_path: Path) -> None:
    rows = read_rows(STREET)
    rows[3][rows[0].index("Month")] = "0000-01"
    bad = write_rows(tmp_path / "in" / STREET.name, rows)
    results, unchanged = imported_with_base(tmp_path, [], [bad])
    error = refused(results, STREET.name)
    assert "(row 3, column 'Month')" in error and "not a month" in error
    assert unchanged


@pytest.mark.parametrize("name", ["000001", "202413"])
def test_an_mps_month_column_that_is_no_month_is_refused(tmp_path: Path, name: str) -> None:
    rows = read_rows(RECENT_2023)
    rows[0][rows[0].index("202401")] = name
    bad = write_rows(tmp_path / "in" / RECENT_2023.name, rows)
    results, unchanged = imported_with_base(tmp_path, [RECENT_2023], [bad])
    error = refused(results, RECENT_2023.name)
    assert f"(header row, column '{name}')" in error and "not a month" in error
    assert unchanged


@pytest.mark.parametrize("row", [2, 30])
def test_a_field_over_the_csv_field_size_limit_is_refused(tmp_path: Path, row: int) -> None:
    rows = read_rows(STREET)
    rows[row][rows[0].index("Location")] = "x" * 200_000
    bad = write_rows(tmp_path / "in" / STREET.name, rows)
    results, unchanged = imported_with_base(tmp_path, [], [bad])
    error = refused(results, STREET.name)
    assert f"(row {row}" in error and "longer than" in error
    assert unchanged


def test_an_mps_header_missing_a_column_says_which(tmp_path: Path) -> None:
    rows = read_rows(RECENT_2023)
    rows[0][rows[0].index("MajorText")] = "Major"
    bad = write_rows(tmp_path / "in" / RECENT_2023.name, rows)
    results, unchanged = imported_with_base(tmp_path, [], [bad])
    error = refused(results, RECENT_2023.name)
    assert "(header row)" in error and "missing" in error and "MajorText" in error
    assert unchanged


def test_every_refusal_of_a_broken_real_file_names_a_row(tmp_path: Path) -> None:
    """One of each kind of breakage the importer refuses; each refusal says where."""
    rows = read_rows(STREET, limit=20)
    broken = {
        "a.csv": rows[:1],
        "b.csv": [*rows[:3], rows[3][:-1], *rows[4:]],
        "c.csv": [*rows[:3], [*rows[3], ""], *rows[4:]],
    }
    paths = []
    for i, (suffix, content) in enumerate(broken.items()):
        path = write_rows(
            tmp_path / "in" / f"2023-0{i + 1}-city-of-london-street-{suffix}", content
        )
        paths.append(path)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = import_paths(paths, wh, quiet=True)
    assert [r.status for r in results] == ["rejected"] * 3
    for r in results:
        assert re.search(r"\((header row|row \d+)", r.error), r.error
