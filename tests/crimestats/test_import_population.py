"""ONS mid-year population estimates by LSOA 2021, imported from the published xlsx and CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from population_files import bexley_lsoas, invented_population, table, write_csv, write_xlsx

from crimestats.importers import import_paths
from crimestats.warehouse import Warehouse


def _held(wh: Warehouse) -> dict[tuple[str, int], int]:
    rows = wh.con.execute("SELECT code, year, population FROM populations").fetchall()
    return {(code, year): people for code, year, people in rows}


def _fingerprint(wh: Warehouse) -> tuple[object, ...]:
    return (
        wh.con.execute("SELECT count(*), sum(population) FROM populations").fetchone(),
        wh.con.execute("SELECT count(*) FROM sources").fetchone(),
    )


@pytest.mark.parametrize("kind", ["xlsx", "csv", "csv without titles"])
def test_the_published_layout_imports_with_its_year(tmp_path: Path, kind: str) -> None:
    if kind == "xlsx":
        path = write_xlsx(tmp_path / "sapelsoasyoa20222.xlsx", table(2022))
    else:
        path = write_csv(tmp_path / "mid-2022.csv", table(2022), titles=kind == "csv")
    with Warehouse(":memory:") as wh:
        (result,) = import_paths([path], wh, quiet=True)
        assert result.status == "imported", result.error
        assert result.format == "ONS mid-2022 population estimates by LSOA 2021"
        assert result.rows == 148
        held = _held(wh)
        codes = bexley_lsoas()
        assert len(held) == 148
        # By hand: the first LSOA's total is 1 * 10 + 2, the 148th's 148 * 10 + 2.
        assert held[(codes[0][0], 2022)] == 12
        assert held[(codes[147][0], 2022)] == 1482
        assert sum(held.values()) == 10 * (148 * 149 // 2) + 2 * 148
        (level, source) = wh.con.execute(
            "SELECT DISTINCT p.level, s.dataset FROM populations p JOIN sources s "
            "ON p.source_id = s.id"
        ).fetchone()  # type: ignore[misc]
        assert (level, source) == ("lsoa21", "population")


def test_reimporting_a_year_replaces_it_and_other_years_stay(tmp_path: Path) -> None:
    codes = bexley_lsoas()
    with Warehouse(":memory:") as wh:
        import_paths([write_xlsx(tmp_path / "2021.xlsx", table(2021), year=2021)], wh, quiet=True)
        import_paths([write_csv(tmp_path / "2022.csv", table(2022))], wh, quiet=True)
        changed = table(2022)
        changed[1][4] = 5000
        (again,) = import_paths([write_csv(tmp_path / "2022b.csv", changed)], wh, quiet=True)
        assert again.status == "imported" and again.replaced_rows == 148
        held = _held(wh)
        assert len(held) == 2 * 148
        assert held[(codes[0][0], 2022)] == 5000
        assert held[(codes[1][0], 2022)] == invented_population(2, 2022) == 22
        assert held[(codes[0][0], 2021)] == invented_population(1, 2021) == 11
        # The replaced file's provenance goes with its rows.
        names = [
            r[0] for r in wh.con.execute("SELECT file_name FROM sources ORDER BY id").fetchall()
        ]
        assert names == ["2021.xlsx", "2022b.csv"]


def _bad(rows: list[list[object]], row: int, column: int, value: object) -> list[list[object]]:
    rows = [list(r) for r in rows]
    rows[row][column] = value
    return rows


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        # Row numbers are the file's own: three title rows, the header on row 4, data from row 5.
        (lambda t: _bad(t, 3, 4, "1,2x"), "row 7, column 'Total'): the total is not a whole"),
        (lambda t: _bad(t, 2, 4, 12.5), "row 6, column 'Total'): the total is not a whole"),
        (lambda t: _bad(t, 5, 2, t[1][2]), "row 9, column 'LSOA 2021 Code'): duplicate code"),
        (lambda t: _bad(t, 1, 2, "E02000001"), "row 5, column 'LSOA 2021 Code'): not an LSOA 2021"),
        (
            lambda t: [["LSOA 2011 Code" if c == "LSOA 2021 Code" else c for c in t[0]], *t[1:]],
            "no 'LSOA 2021 Code' column",
        ),
    ],
    ids=["text total", "fractional total", "duplicate", "not an LSOA 2021 code", "no code column"],
)
def test_a_bad_file_is_refused_saying_where_and_changes_nothing(
    tmp_path: Path, kind: str, change, reason: str
) -> None:  # type: ignore[no-untyped-def]
    good = write_csv(tmp_path / "good-mid-2021.csv", table(2021), year=2021)
    rows = change(table(2022))
    path = (
        write_xlsx(tmp_path / "bad.xlsx", rows)
        if kind == "xlsx"
        else write_csv(tmp_path / "bad.csv", rows)
    )
    with Warehouse(":memory:") as wh:
        import_paths([good], wh, quiet=True)
        before = _fingerprint(wh)
        (result,) = import_paths([path], wh, quiet=True)
        assert result.status == "rejected"
        assert reason in result.error, result.error
        assert result.error.startswith(path.name)
        assert _fingerprint(wh) == before


def test_a_workbook_without_the_table_or_a_year_is_refused(tmp_path: Path) -> None:
    import openpyxl

    empty = tmp_path / "notes.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["nothing here"])  # type: ignore[union-attr]
    book.save(empty)
    undated = write_xlsx(tmp_path / "estimates.xlsx", table(2022), sheet="Table 1")
    undated_csv = tmp_path / "estimates.csv"
    write_csv(undated_csv, table(2022), titles=False)
    not_xlsx = tmp_path / "broken.xlsx"
    not_xlsx.write_bytes(b"PK\x03\x04 not really")
    with Warehouse(":memory:") as wh:
        results = import_paths([empty, undated_csv, not_xlsx], wh, quiet=True)
        errors = {r.file_name: r.error for r in results}
        assert "no sheet has a header row with an 'LSOA 2021 Code' column" in errors["notes.xlsx"]
        assert "no year of the estimates" in errors["estimates.csv"]
        assert "not a readable xlsx workbook" in errors["broken.xlsx"]
        assert all(r.status == "rejected" for r in results)
        # A sheet not named for its year is read when a title names it.
        (dated,) = import_paths([undated], wh, quiet=True)
        assert dated.status == "imported" and "mid-2022" in dated.format
        assert wh.con.execute("SELECT count(*) FROM populations").fetchone() == (148,)


def test_a_workbook_of_several_years_imports_each_year(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "sapelsoasyoatablefinal.xlsx", table(2021), year=2021, more={2022: table(2022)}
    )
    codes = bexley_lsoas()
    with Warehouse(":memory:") as wh:
        (result,) = import_paths([path], wh, quiet=True)
        assert result.status == "imported", result.error
        assert result.format == "ONS mid-2021 and mid-2022 population estimates by LSOA 2021"
        assert result.rows == 2 * 148
        held = _held(wh)
        assert held[(codes[9][0], 2021)] == 10 * 10 + 1
        assert held[(codes[9][0], 2022)] == 10 * 10 + 2
        # A bad row on the second sheet refuses the whole workbook, naming the sheet.
        bad = table(2022)
        bad[2][4] = None
        path = write_xlsx(tmp_path / "bad.xlsx", table(2023), year=2023, more={2024: bad})
        (refused,) = import_paths([path], wh, quiet=True)
        assert refused.status == "rejected"
        assert refused.error.startswith(
            "bad.xlsx, sheet 'Mid-2024 LSOA 2021' (row 6, column 'Total')"
        )
        assert {year for _, year in _held(wh)} == {2021, 2022}
