"""Street-level files imported together: counts kept for figures, later files win, bad files alone.

Expected values come from the rows the test itself writes (counted in Python), not from the
warehouse.
"""

from __future__ import annotations

import csv
import random
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from crimestats_testdata import CITY

from crimestats.figures import figures
from crimestats.geography import load_geography
from crimestats.importers import import_paths
from crimestats.periods import window
from crimestats.warehouse import Warehouse, WarehouseDamaged

HEADER = [
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
TYPES = ["Shoplifting", "Burglary", "Anti-social behaviour", "Possession of weapons"]
FORCE = "Metropolitan Police Service"


def _rows(month: str, seed: int) -> list[list[str]]:
    """A few crimes in every London borough (plus one LSOA outside London) for one month."""
    rng = random.Random(seed)
    rows = []
    for i, borough in enumerate(load_geography().boroughs):
        for j in range(rng.randint(1, 6)):
            rows.append(
                [
                    f"{seed:04d}{i:02d}{j:02d}",
                    month,
                    FORCE,
                    FORCE,
                    f"{-0.1 + rng.random() / 10:.6f}",
                    f"{51.5 + rng.random() / 10:.6f}",
                    "On or near Somewhere",
                    f"E0100{i:04d}",
                    f"{borough.name} {rng.randint(1, 30):03d}{'ABC'[j % 3]}",
                    rng.choice(TYPES),
                    "Under investigation",
                    "",
                ]
            )
    rows.append(["", month, FORCE, FORCE, "", "", "", "W01000001", "Cardiff 001A", "Drugs", "", ""])
    return rows


def _write(path: Path, rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _year(folder: Path) -> dict[str, list[list[str]]]:
    data = {f"2024-{m:02d}": _rows(f"2024-{m:02d}", m) for m in range(1, 13)}
    for month, rows in data.items():
        _write(folder / f"{month}-metropolitan-street.csv", rows)
    return data


def _counts(rows: list[list[str]]) -> Counter[tuple[str, str, str]]:
    """(borough code, crime type, month) counts, by hand from the rows."""
    codes = {b.name: b.code for b in load_geography().boroughs}
    out: Counter[tuple[str, str, str]] = Counter()
    for r in rows:
        borough = r[8].rsplit(" ", 1)[0]
        if borough in codes:
            out[(codes[borough], r[9], r[1])] += 1
    return out


def _stored(wh: Warehouse) -> Counter[tuple[str, str, str]]:
    rows = wh.con.execute(
        "SELECT borough_code, crime_type, strftime(month, '%Y-%m'), sum(count) "
        "FROM street_counts GROUP BY ALL"
    ).fetchall()
    return Counter({(b, t, m): int(n) for b, t, m, n in rows})


def test_counts_and_borough_codes_match_the_rows(tmp_path: Path) -> None:
    data = _year(tmp_path / "in")
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = import_paths([tmp_path / "in"], wh, quiet=True)
        assert [r.status for r in results] == ["imported"] * 12
        assert [r.rows for r in results] == [len(data[m]) for m in sorted(data)]
        assert _stored(wh) == _counts([r for rows in data.values() for r in rows])
        cardiff = wh.con.execute(
            "SELECT borough_name, borough_code FROM street_crimes WHERE lsoa_code = 'W01000001' "
            "LIMIT 1"
        ).fetchone()
        sources = wh.con.execute("SELECT count(*), sum(rows) FROM sources").fetchone()
    assert cardiff == ("Cardiff", None)
    assert sources == (12, sum(len(rows) for rows in data.values()))


def test_figures_from_police_uk_match_the_rows(tmp_path: Path) -> None:
    data = _year(tmp_path / "in")
    expected = _counts([r for rows in data.values() for r in rows])
    with Warehouse(tmp_path / "w.duckdb") as wh:
        import_paths([tmp_path / "in"], wh, quiet=True)
        report = figures(
            wh, "Bexley", window("2024-07:2024-12"), measures=["shoplifting"], threshold=0
        )
    [measure] = report.measures
    assert measure.source == "police_uk"

    def total(codes: list[str], months: range) -> int:
        return sum(expected[(c, "Shoplifting", f"2024-{m:02d}")] for c in codes for m in months)

    geo = load_geography()
    bexley = geo.resolve("Bexley")
    levels = {
        "borough": [bexley.code],
        "bcu": [b.code for b in geo.boroughs_in(geo.bcu(bexley))],
        "london": [b.code for b in geo.boroughs],
    }
    assert [r.level for r in measure.rows] == ["borough", "bcu", "london"]
    for row in measure.rows:
        codes = levels[row.level]
        assert (row.previous, row.current) == (
            total(codes, range(1, 7)),
            total(codes, range(7, 13)),
        )


def test_one_batch_equals_files_one_at_a_time(tmp_path: Path) -> None:
    _year(tmp_path / "in")
    newer = _rows("2024-02", 99)
    _write(tmp_path / "newer" / "2024-02-metropolitan-street.csv", newer)
    files = [*sorted((tmp_path / "in").glob("*.csv")), tmp_path / "newer"]
    with Warehouse(tmp_path / "batch.duckdb") as batch:
        together = import_paths(files, batch, quiet=True)
        batch_counts = _stored(batch)
        batch_rows = batch.con.execute(
            "SELECT strftime(month, '%Y-%m'), count(*) FROM street_crimes GROUP BY ALL ORDER BY 1"
        ).fetchall()
        slices = batch.con.execute("SELECT count(*) FROM slices").fetchone()
    with Warehouse(tmp_path / "single.duckdb") as single:
        alone = [r for f in files for r in import_paths([f], single, quiet=True)]
        single_counts = _stored(single)
    assert batch_counts == single_counts
    # One rows file per import; the file of the replaced February import is deleted.
    assert len(list((tmp_path / "batch-street").iterdir())) == 1
    assert len(list((tmp_path / "single-street").iterdir())) == 12
    # The later February file replaced the earlier one: its rows, not both.
    assert dict(batch_rows)["2024-02"] == len(newer)
    assert slices == (12,)
    # Results come in the order applied (oldest month first), so compare them as a set.
    assert sorted((r.rows, r.replaced_rows) for r in together) == sorted(
        (r.rows, r.replaced_rows) for r in alone
    )
    assert (len(newer), len(_rows("2024-02", 2))) in [(r.rows, r.replaced_rows) for r in together]


def test_reimporting_the_same_folder_replaces(tmp_path: Path) -> None:
    data = _year(tmp_path / "in")
    with Warehouse(tmp_path / "w.duckdb") as wh:
        import_paths([tmp_path / "in"], wh, quiet=True)
        again = import_paths([tmp_path / "in"], wh, quiet=True)
        total = wh.con.execute("SELECT count(*) FROM street_crimes").fetchone()
        counts = _stored(wh)
        sources = wh.con.execute("SELECT count(*) FROM sources").fetchone()
        [current] = wh.street_files()
    assert list((tmp_path / "w-street").iterdir()) == [current]  # the first import's file went
    assert total == (sum(len(rows) for rows in data.values()),)
    assert [r.replaced_rows for r in again] == [len(data[m]) for m in sorted(data)]
    assert counts == _counts([r for rows in data.values() for r in rows])
    assert sources == (12,)


def test_a_bad_file_in_a_batch_is_rejected_alone_with_row_and_column(tmp_path: Path) -> None:
    data = _year(tmp_path / "in")
    bad = data["2024-05"]
    bad[2][5] = "95.5"  # a latitude beyond the pole, on data row 3
    _write(tmp_path / "in" / "2024-05-metropolitan-street.csv", bad)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = import_paths([tmp_path / "in"], wh, quiet=True)
        months = wh.con.execute(
            "SELECT DISTINCT strftime(month, '%Y-%m') FROM street_crimes ORDER BY 1"
        ).fetchall()
    statuses = {r.file_name: r.status for r in results}
    assert statuses.pop("2024-05-metropolitan-street.csv") == "rejected"
    assert set(statuses.values()) == {"imported"}
    [error] = [r.error for r in results if r.status == "rejected"]
    assert "row 3" in error and "'Latitude'" in error and "95.5" in error
    assert [m for (m,) in months] == [f"2024-{m:02d}" for m in range(1, 13) if m != 5]


def test_a_warehouse_from_before_street_counts_is_brought_up_to_date(tmp_path: Path) -> None:
    data = _year(tmp_path / "in")
    path = tmp_path / "w.duckdb"
    with Warehouse(path) as wh:
        import_paths([tmp_path / "in"], wh, quiet=True)
        new_report = figures(wh, "Bexley", window("2024-07:2024-12"), measures=["shoplifting"])
        # Schema 1 kept street rows in a table, without borough code or counts.
        wh.con.execute(
            "CREATE TABLE old_rows AS SELECT * EXCLUDE (borough_code) FROM street_crimes"
        )
        rows = wh.con.execute("SELECT count(*) FROM street_crimes").fetchone()
    con = duckdb.connect(str(path))
    for table in ("street_counts", "meta", "street_files", "street_lsoas"):
        con.execute(f"DROP TABLE {table}")
    con.execute("ALTER TABLE old_rows RENAME TO street_crimes")
    con.close()
    shutil.rmtree(tmp_path / "w-street")
    with Warehouse(path, read_only=True) as old:
        assert old.legacy_street_table and not old.has_street_counts
        old_report = figures(old, "Bexley", window("2024-07:2024-12"), measures=["shoplifting"])
    with Warehouse(path) as migrated:
        assert migrated.has_street_counts and not migrated.legacy_street_table
        assert _stored(migrated) == _counts([r for rows in data.values() for r in rows])
        assert migrated.con.execute("SELECT count(*) FROM street_crimes").fetchone() == rows
        assert [p.name.startswith("street-migrated-") for p in migrated.street_files()] == [True]
        migrated_report = figures(
            migrated, "Bexley", window("2024-07:2024-12"), measures=["shoplifting"]
        )
    assert old_report.to_json() == new_report.to_json() == migrated_report.to_json()


def test_a_missing_street_file_is_named_not_ignored(tmp_path: Path) -> None:
    _year(tmp_path / "in")
    path = tmp_path / "w.duckdb"
    with Warehouse(path) as wh:
        import_paths([tmp_path / "in"], wh, quiet=True)
        [lost] = wh.street_files()
    lost.unlink()
    with pytest.raises(WarehouseDamaged, match=lost.name):
        Warehouse(path, read_only=True)


def test_an_interrupted_import_leaves_no_file_behind(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    Warehouse(path).close()
    strays = [tmp_path / "w-street" / f"street-0123456789ab.{s}" for s in ("parquet", "partial")]
    for stray in strays:
        stray.write_bytes(b"PAR1 half written")
    Warehouse(path).close()
    assert not any(stray.exists() for stray in strays)


@pytest.mark.realdata
@pytest.mark.parametrize("month", ["2022-07", "2023-01"])
def test_real_city_rows_in_london_boroughs_are_counted(tmp_path: Path, month: str) -> None:
    path = CITY / f"{month}-city-of-london-street.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [list(r.values()) for r in csv.DictReader(fh)]
    with Warehouse(tmp_path / "w.duckdb") as wh:
        import_paths([path], wh, quiet=True)
        stored = _stored(wh)
    expected = _counts(rows)
    assert expected  # the City force records crimes in neighbouring boroughs too
    assert stored == expected
    assert {m for _, _, m in stored} == {month}


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("Crime type", "", "no crime type"),
        ("Crime type", "\u00a0", "no crime type"),  # a no-break space is blank too
        ("Reported by", "   ", "no reporting force"),
        ("Month", " 024-05", "not a month"),
        ("Month", "2024-13", "not a month"),
        ("Month", "2024-5", "not a month"),
        ("Longitude", "181", "not a longitude"),
        ("Longitude", "east", "not a longitude"),
        # Checked once per distinct value after the read: still refused, with the row.
        ("LSOA code", "E0100", "not a GSS code"),
        ("LSOA code", "", "not a GSS code"),  # a name with no code
        ("LSOA name", "", "no LSOA name"),  # a code with no name
        ("LSOA name", " \t", "no LSOA name"),
        ("Reported by", "", "no reporting force"),
    ],
)
def test_each_check_rejects_the_file_and_names_row_and_column(
    tmp_path: Path, column: str, value: str, reason: str
) -> None:
    rows = _rows("2024-05", 5)
    rows[3][HEADER.index(column)] = value  # data row 4
    path = _write(tmp_path / "2024-05-metropolitan-street.csv", rows)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        [result] = import_paths([path], wh, quiet=True)
        left = wh.con.execute("SELECT count(*) FROM street_crimes").fetchone()
        counts = wh.con.execute("SELECT count(*) FROM street_counts").fetchone()
        sources = wh.con.execute("SELECT count(*) FROM sources").fetchone()
    assert not list((tmp_path / "w-street").iterdir())  # no rows file left behind
    assert result.status == "rejected"
    assert "row 4" in result.error and f"'{column}'" in result.error and reason in result.error
    assert left == counts == sources == (0,)


def test_the_cli_names_a_missing_street_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from crimestats.cli import main

    _year(tmp_path / "in")
    assert main(["--data-dir", str(tmp_path / "d"), "import", "-q", str(tmp_path / "in")]) == 0
    [lost] = (tmp_path / "d" / "crimestats" / "warehouse-street").iterdir()
    lost.unlink()
    assert main(["--data-dir", str(tmp_path / "d"), "sources"]) == 2
    assert lost.name in capsys.readouterr().err


def test_a_folder_with_a_quote_in_its_name_holds_a_warehouse(tmp_path: Path) -> None:
    data = _year(tmp_path / "in")
    with Warehouse(tmp_path / "O'Neill's data" / "w.duckdb") as wh:
        results = import_paths([tmp_path / "in"], wh, quiet=True)
        total = wh.con.execute("SELECT count(*) FROM street_crimes").fetchone()
    assert {r.status for r in results} == {"imported"}
    assert total == (sum(len(rows) for rows in data.values()),)


def test_blank_text_is_stored_as_null_and_each_file_keeps_its_own_sha256(tmp_path: Path) -> None:
    import hashlib

    folder = tmp_path / "in"
    first = _write(folder / "2024-01-metropolitan-street.csv", _rows("2024-01", 1))
    second = folder / "2024-02-metropolitan-street.csv"
    second.write_text(
        ",".join(HEADER) + "\n"
        '"",2024-02,Metropolitan Police Service,,-0.100000,51.500000,"",E01000001,'
        "City of London 001A,Burglary, ,\n",
        encoding="utf-8",
    )
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = import_paths([folder], wh, quiet=True)
        stored = wh.con.execute(
            "SELECT crime_id, falls_within, location, last_outcome, context, lsoa_code "
            "FROM street_crimes WHERE month = DATE '2024-02-01'"
        ).fetchall()
        digests = dict(wh.con.execute("SELECT file_name, sha256 FROM sources").fetchall())
    assert [r.status for r in results] == ["imported", "imported"]
    # Blank and quoted-empty fields are NULL; a field of spaces is kept as written.
    assert stored == [(None, None, None, " ", None, "E01000001")]
    assert digests == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second)}
    assert [r.sha256 for r in results] == [digests[first.name], digests[second.name]]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("Crime type", "", "no crime type"),
        ("LSOA name", "", "no LSOA name"),
        ("LSOA code", "X01000001", "not a GSS code"),
        ("Month", "2024-5", "not a month"),
    ],
)
def test_a_bad_file_in_a_batch_is_refused_with_its_row_and_the_others_imported(
    tmp_path: Path, column: str, value: str, reason: str
) -> None:
    data = {f"2024-{m:02d}": _rows(f"2024-{m:02d}", m) for m in (1, 2, 3)}
    data["2024-02"][6][HEADER.index(column)] = value  # data row 7 of the middle file
    paths = [_write(tmp_path / "in" / f"{m}-metropolitan-street.csv", r) for m, r in data.items()]
    with Warehouse(tmp_path / "w.duckdb") as wh:
        results = import_paths(paths, wh, quiet=True)
        stored = _stored(wh)
    assert [r.status for r in results] == ["imported", "rejected", "imported"]
    error = results[1].error or ""
    assert "2024-02-metropolitan-street.csv" in error
    assert "row 7" in error and f"'{column}'" in error and reason in error
    assert stored == _counts(data["2024-01"]) + _counts(data["2024-03"])
    # One rows file for each imported file, none for the refused one or the failed batch.
    assert len(list((tmp_path / "w-street").iterdir())) == 2
