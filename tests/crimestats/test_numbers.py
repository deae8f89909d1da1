"""Numbers as people read them (thousands separators, ONS wording) and as programs read them
(plain numbers in CSV and JSON). Expected strings are written out by hand."""

from __future__ import annotations

import csv
import io
import json

import pytest
from crimestats_testdata import HISTORICAL_2023, RECENT_2023, sum_wide_csv
from tests.realdata import LONDON_BOROUGHS

from crimestats.cli import main
from crimestats.numbers import rate, shown, signed_pct
from crimestats.warehouse import Warehouse


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (7, "7"),
        (999, "999"),
        (1000, "1,000"),
        (1234567, "1,234,567"),
        (-45210, "-45,210"),
        (1234.5, "1,234.5"),
        (0.0123, "0.0123"),
        ("98765", "98,765"),  # a published count, already text
        ("<5", "<5"),
        ("[c]", "[c]"),
        ("Bexley", "Bexley"),
        ("2024-01", "2024-01"),  # a month is not a number
        (None, ""),
    ],
)
def test_a_number_is_shown_with_thousands_separators(value: object, text: str) -> None:
    assert shown(value) == text


def test_changes_and_rates_for_tables() -> None:
    assert signed_pct(-20.0) == "-20.0%"
    assert signed_pct(1234.56) == "+1,234.6%"
    assert signed_pct(-0.04) == "0.0%"
    assert signed_pct(None) == ""
    assert rate(12.3) == "12.30"
    assert rate(1234.567) == "1,234.57"
    assert rate(None) == ""


def _serious_violence_london_2023() -> int:
    # From the published CSVs with the csv module: November and December come from the refresh.
    wanted = {
        ("VIOLENCE AGAINST THE PERSON", "HOMICIDE"),
        ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY"),
        ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY"),
        ("POSSESSION OF WEAPONS", "*"),
    }
    old = [f"2023{m:02d}" for m in range(1, 11)]
    new = ["202311", "202312"]
    return sum(
        sum_wide_csv(HISTORICAL_2023, "BoroughName", b, wanted, old)
        + sum_wide_csv(RECENT_2023, "BoroughName", b, wanted, new)
        for b in LONDON_BOROUGHS
    )


def test_the_cli_table_has_separators_and_its_csv_and_json_plain_numbers(
    warehouse: Warehouse, capsys, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    london = _serious_violence_london_2023()
    assert london > 10_000  # big enough to need two separators' worth of care
    plain, grouped = str(london), f"{london:,}"
    assert "," in grouped
    data_dir = tmp_path / "d"
    warehouse.copy_to(data_dir / "crimestats" / "warehouse.duckdb")
    args = ["--data-dir", str(data_dir), "figures", "--area", "Bexley", "--year", "2023"]
    args += ["--measure", "serious_violence"]

    assert main([*args, "--format", "table"]) == 0
    table = capsys.readouterr().out
    assert f" {grouped} " in table
    assert plain not in table

    assert main([*args, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    [row] = [r for r in rows if r["level"] == "london"]
    assert row["current"] == plain  # no separators for the next program
    assert (row["current_period"], row["previous_period"]) == ("2023", "2022")

    assert main([*args, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    [json_row] = [r for r in doc["measures"][0]["rows"] if r["level"] == "london"]
    assert json_row["current"] == london  # a number, not text


def test_the_cli_sources_table_groups_rows_and_its_csv_does_not(
    warehouse: Warehouse, capsys, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    data_dir = tmp_path / "d"
    warehouse.copy_to(data_dir / "crimestats" / "warehouse.duckdb")
    base = ["--data-dir", str(data_dir), "sources"]
    assert main([*base, "--format", "json"]) == 0
    big = max(json.loads(capsys.readouterr().out), key=lambda s: s["rows"])
    assert big["rows"] >= 1000
    assert main([*base, "--format", "table"]) == 0
    assert f"{big['rows']:,}" in capsys.readouterr().out
    assert main([*base, "--format", "csv"]) == 0
    [row] = [
        r for r in csv.DictReader(io.StringIO(capsys.readouterr().out)) if r["id"] == str(big["id"])
    ]
    assert row["rows"] == str(big["rows"])
