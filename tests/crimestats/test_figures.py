"""Figures on the real files, checked against sums made with the csv module."""

from __future__ import annotations

import csv
import io
import json

import duckdb
from crimestats_testdata import DASHBOARD, HISTORICAL_2023, RECENT_2023, sum_wide_csv
from tests.realdata import LONDON_BOROUGHS

from crimestats.cli import main
from crimestats.figures import figures, monthly_series
from crimestats.periods import calendar_year, financial_year, window
from crimestats.warehouse import Warehouse

SERIOUS_VIOLENCE = {
    ("VIOLENCE AGAINST THE PERSON", "HOMICIDE"),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY"),
    ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY"),
    ("POSSESSION OF WEAPONS", "*"),
}
SOUTH_EAST = ("Bexley", "Greenwich", "Lewisham")


def _year(y: int) -> list[str]:
    return [f"{y}{m:02d}" for m in range(1, 13)]


def _expected(boroughs: tuple[str, ...], year: int) -> int:
    # Months from Nov 2023 come from the newer refresh (it replaces the historical file's).
    old = [m for m in _year(year) if m < "202311"]
    new = [m for m in _year(year) if m >= "202311"]
    return sum(
        sum_wide_csv(HISTORICAL_2023, "BoroughName", b, SERIOUS_VIOLENCE, old)
        + (sum_wide_csv(RECENT_2023, "BoroughName", b, SERIOUS_VIOLENCE, new) if new else 0)
        for b in boroughs
    )


def test_serious_violence_borough_bcu_london_match_csv(warehouse: Warehouse) -> None:
    report = figures(warehouse, "Bexley", calendar_year(2023), measures=["serious_violence"])
    [measure] = report.measures
    rows = {r.level: r for r in measure.rows}
    assert measure.source == "mps_2023"
    assert (rows["borough"].previous, rows["borough"].current) == (
        _expected(("Bexley",), 2022),
        _expected(("Bexley",), 2023),
    )
    assert rows["bcu"].name == "South East"
    assert rows["bcu"].current == _expected(SOUTH_EAST, 2023)
    assert len(LONDON_BOROUGHS) == 32
    assert rows["london"].current == _expected(LONDON_BOROUGHS, 2023)
    assert rows["borough"].baseline_2019 == _expected(("Bexley",), 2019)


def test_knife_crime_comes_from_dashboard(warehouse: Warehouse) -> None:
    # Independent check with a bare DuckDB query on the Parquet file (Jan-Dec 2023, Bexley).
    path = (
        DASHBOARD / "MPS Monthly Crime Dashboard knife 202203-202602 (normalised columns).parquet"
    )
    expected = duckdb.execute(
        f"SELECT sum(count) FROM read_parquet('{path}') WHERE area_type = 'Borough' "
        "AND area_name = 'Bexley' AND crime_subtype = 'Knife Crime' AND measure = 'Offences' "
        "AND year(month_year) = 2023"
    ).fetchall()[0]
    report = figures(warehouse, "E09000004", calendar_year(2023), measures=["knife_crime"])
    assert report.measures[0].source == "dashboard"
    assert report.measures[0].rows[0].current == int(expected[0])  # type: ignore[index]


def test_small_counts_are_suppressed_with_change_hidden(warehouse: Warehouse) -> None:
    report = figures(warehouse, "Bexley", calendar_year(2023), measures=["homicide"])
    borough = report.measures[0].rows[0]
    true_current = sum_wide_csv(
        HISTORICAL_2023,
        "BoroughName",
        "Bexley",
        {("VIOLENCE AGAINST THE PERSON", "HOMICIDE")},
        _year(2023)[:10],
    )
    true_current += sum_wide_csv(
        RECENT_2023,
        "BoroughName",
        "Bexley",
        {("VIOLENCE AGAINST THE PERSON", "HOMICIDE")},
        _year(2023)[10:],
    )
    assert 0 < true_current < 5
    assert borough.suppressed and borough.current is None
    assert borough.change_pct is None and borough.p_value is None
    unsuppressed = figures(
        warehouse, "Bexley", calendar_year(2023), measures=["homicide"], threshold=0
    )
    assert unsuppressed.measures[0].rows[0].current == true_current


def test_financial_year_and_window_periods(warehouse: Warehouse) -> None:
    fy = figures(warehouse, "Bexley", financial_year("2022-23"), measures=["serious_violence"])
    months = [f"2022{m:02d}" for m in range(4, 13)] + [f"2023{m:02d}" for m in range(1, 4)]
    expected = sum_wide_csv(HISTORICAL_2023, "BoroughName", "Bexley", SERIOUS_VIOLENCE, months)
    assert fy.measures[0].rows[0].current == expected
    assert fy.previous.to_json() == {"from": "2021-04", "to": "2022-03"}
    sv = figures(warehouse, "Bexley", window("2022-10:2023-09"), measures=["serious_violence"])
    months = [f"2022{m:02d}" for m in range(10, 13)] + [f"2023{m:02d}" for m in range(1, 10)]
    assert sv.measures[0].rows[0].current == sum_wide_csv(
        HISTORICAL_2023, "BoroughName", "Bexley", SERIOUS_VIOLENCE, months
    )


def test_monthly_series_adds_up_to_the_year(warehouse: Warehouse) -> None:
    series = monthly_series(warehouse, "Bexley", "serious_violence", calendar_year(2023))
    report = figures(warehouse, "Bexley", calendar_year(2023), measures=["serious_violence"])
    assert len(series) == 12
    assert sum(v or 0 for _, v in series) == report.measures[0].rows[0].current


def test_harm_weighted_totals_are_reported_for_category_sources(warehouse: Warehouse) -> None:
    report = figures(warehouse, "Bexley", calendar_year(2023), measures=["homicide", "shoplifting"])
    shop = report.measures[1].rows[0]
    assert shop.harm_current == shop.current * 5.0  # shoplifting's shipped weight


def test_cli_json_contract_for_every_measure(warehouse: Warehouse, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data_dir = tmp_path / "d"
    warehouse.copy_to(data_dir / "crimestats" / "warehouse.duckdb")
    assert (
        main(
            [
                "--data-dir",
                str(data_dir),
                "figures",
                "--area",
                "Bexley",
                "--year",
                "2023",
                "--format",
                "json",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"area", "current", "previous", "measures"}
    assert doc["area"] == {"code": "E09000004", "name": "Bexley"}
    assert doc["current"] == {"from": "2023-01", "to": "2023-12"}
    assert doc["previous"] == {"from": "2022-01", "to": "2022-12"}
    ids = [m["id"] for m in doc["measures"]]
    for wanted in (
        "all_crime",
        "serious_violence",
        "violence_with_injury",
        "personal_robbery",
        "possession_of_weapons",
        "homicide",
        "knife_crime",
        "knife_crime_with_injury",
        "knife_injury_victims_1_24",
        "acquisitive",
        "shoplifting",
        "vawg",
        "sexual_offences",
        "domestic_abuse",
    ):
        assert wanted in ids
    for m in doc["measures"]:
        assert set(m) == {"id", "label", "rows", "months_compared", "partial_note"}
        assert m["months_compared"] is None  # 2023 and 2022 are whole in every source
        assert [r["level"] for r in m["rows"]] == ["borough", "bcu", "london"]
        for r in m["rows"]:
            assert set(r) >= {
                "level",
                "code",
                "name",
                "previous",
                "current",
                "change_pct",
                "p_value",
                "verdict",
                "suppressed",
            }
            assert r["current"] is not None or r["suppressed"]


HOMICIDE = {("VIOLENCE AGAINST THE PERSON", "HOMICIDE")}
SV_PARTS = {
    "violence_with_injury": {("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY")},
    "personal_robbery": {("ROBBERY", "ROBBERY OF PERSONAL PROPERTY")},
    "possession_of_weapons": {("POSSESSION OF WEAPONS", "*")},
}


def _csv_total(borough: str, categories: set[tuple[str, str]], year: int) -> int:
    old = [m for m in _year(year) if m < "202311"]
    new = [m for m in _year(year) if m >= "202311"]
    return sum_wide_csv(HISTORICAL_2023, "BoroughName", borough, categories, old) + (
        sum_wide_csv(RECENT_2023, "BoroughName", borough, categories, new) if new else 0
    )


def test_small_2019_baseline_is_hidden_with_its_change(warehouse: Warehouse) -> None:
    # Lewisham's homicides: 5 in 2022 and 5 in 2023 (shown), but 1-4 in 2019 (hidden).
    prev, cur, base = (_csv_total("Lewisham", HOMICIDE, y) for y in (2022, 2023, 2019))
    assert prev >= 5 and cur >= 5 and 0 < base < 5
    row = figures(warehouse, "Lewisham", calendar_year(2023), measures=["homicide"])
    borough = row.measures[0].rows[0]
    assert (borough.previous, borough.current) == (prev, cur)
    assert not borough.suppressed and borough.change_pct is not None
    assert borough.baseline_2019 is None and borough.change_vs_2019_pct is None
    assert borough.hidden == {"baseline_2019": "<5", "change_vs_2019_pct": "[c]"}
    off = figures(warehouse, "Lewisham", calendar_year(2023), measures=["homicide"], threshold=0)
    assert off.measures[0].rows[0].baseline_2019 == base


def test_cli_shows_a_small_2019_baseline_as_published_by_default(
    warehouse: Warehouse, capsys, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    data_dir = _copy_warehouse(warehouse, tmp_path)
    base = _csv_total("Lewisham", HOMICIDE, 2019)
    assert 0 < base < 5
    args = ["--data-dir", str(data_dir), "figures", "--area", "Lewisham", "--year", "2023"]
    assert main([*args, "--measure", "homicide", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    [borough] = [r for r in doc["measures"][0]["rows"] if r["level"] == "borough"]
    assert borough["baseline_2019"] == base and not borough["hidden"]


def test_cli_json_and_csv_hide_a_small_2019_baseline_when_asked(
    warehouse: Warehouse, capsys, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    data_dir = _copy_warehouse(warehouse, tmp_path)
    base = _csv_total("Lewisham", HOMICIDE, 2019)
    args = ["--data-dir", str(data_dir), "figures", "--area", "Lewisham", "--year", "2023"]
    args += ["--threshold", "5"]
    assert main([*args, "--measure", "homicide", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    [borough] = [r for r in doc["measures"][0]["rows"] if r["level"] == "borough"]
    assert borough["baseline_2019"] is None and borough["change_vs_2019_pct"] is None
    assert borough["hidden"]["baseline_2019"] == "<5"
    assert doc["baseline"] == {"from": "2019-01", "to": "2019-12"}
    assert main([*args, "--measure", "homicide", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    [line] = [r for r in rows if r["level"] == "borough"]
    assert line["baseline"] == "<5" and line["change_vs_baseline_pct"] == "[c]"
    assert str(base) not in (line["baseline"], line["change_vs_baseline_pct"])


def test_a_small_count_cannot_be_subtracted_out_of_serious_violence(warehouse: Warehouse) -> None:
    # Bexley's 2023 homicides are 1-4 and hidden; serious violence is homicide plus three other
    # published measures, so one of those must be hidden too (the smallest, as a partner).
    assert 0 < _csv_total("Bexley", HOMICIDE, 2023) < 5
    parts = {m: _csv_total("Bexley", c, 2023) for m, c in SV_PARTS.items()}
    partner = min(parts, key=lambda m: parts[m])
    for wanted in (None, ["serious_violence", *SV_PARTS]):  # the same cells however asked
        report = figures(warehouse, "Bexley", calendar_year(2023), measures=wanted)
        rows = {m.id: m.rows[0] for m in report.measures}
        assert rows["serious_violence"].current is not None
        shown = [m for m in SV_PARTS if rows[m].current is not None]
        assert shown == [m for m in SV_PARTS if m != partner]
        assert rows[partner].hidden["current"] == "[c]"
        assert rows[partner].change_pct is None and rows[partner].harm_current is None
        assert rows[partner].verdict.startswith("not shown")
        # 2022 the same: its homicides are small too, so the partner's 2022 count is hidden.
        assert 0 < _csv_total("Bexley", HOMICIDE, 2022) < 5
        assert rows[partner].previous is None and rows[partner].hidden["previous"] == "[c]"


def test_harm_total_of_a_hidden_count_is_hidden(warehouse: Warehouse) -> None:
    report = figures(warehouse, "Bexley", calendar_year(2023), measures=["homicide"])
    borough = report.measures[0].rows[0]
    assert borough.harm_current is None and borough.hidden["harm_current"] == "[c]"
    assert report.measures[0].rows[2].harm_current is not None  # London's is shown


def _copy_warehouse(warehouse: Warehouse, tmp_path):  # type: ignore[no-untyped-def]
    data_dir = tmp_path / "d"
    warehouse.copy_to(data_dir / "crimestats" / "warehouse.duckdb")
    return data_dir


def test_a_period_with_months_missing_is_compared_over_the_months_both_have(
    warehouse: Warehouse,
) -> None:
    # The dashboard begins in August 2021: 2022 against 2021 can only compare August to
    # December. Independent sums with a bare DuckDB query on the Parquet file.
    path = (
        DASHBOARD / "MPS Monthly Crime Dashboard other 202108-202507 (normalised columns).parquet"
    )

    def months_sum(first: str, last: str) -> int:
        return int(
            duckdb.execute(
                f"SELECT sum(count) FROM read_parquet('{path}') WHERE area_type = 'Borough' "
                "AND area_name = 'Bexley' AND crime_subtype = 'Knife Crime' "
                "AND measure = 'Offences' AND month_year BETWEEN ? AND ?",
                [first, last],
            ).fetchall()[0][0]
        )

    report = figures(warehouse, "Bexley", calendar_year(2022), measures=["knife_crime"])
    [knife] = report.measures
    assert knife.source == "dashboard"
    assert [f"{d:%Y-%m}" for d in knife.months_compared or []] == [
        "2022-08",
        "2022-09",
        "2022-10",
        "2022-11",
        "2022-12",
    ]
    borough = knife.rows[0]
    assert borough.previous == months_sum("2021-08-01", "2021-12-01")
    assert borough.current == months_sum("2022-08-01", "2022-12-01")
    assert knife.partial_note.startswith("Compared over August 2022 to December 2022 only (5 of 12")
    doc = report.to_json()
    [m] = doc["measures"]  # type: ignore[index]
    assert m["months_compared"][0] == "2022-08" and m["partial_note"] == knife.partial_note


def test_the_cli_gives_every_measures_counts_at_every_level_for_2023(
    warehouse: Warehouse, capsys, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    data_dir = _copy_warehouse(warehouse, tmp_path)
    args = ["--data-dir", str(data_dir), "figures", "--area", "Bexley", "--year", "2023"]
    assert main([*args, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    missing = [
        (m["id"], r["level"])
        for m in doc["measures"]
        for r in m["rows"]
        if r["previous"] is None or r["current"] is None
    ]
    assert missing == []  # police open data is shown as published: nothing hidden, nothing absent
    assert {r["level"] for m in doc["measures"] for r in m["rows"]} == {"borough", "bcu", "london"}
    assert doc["caveats"] == []  # 2023 against 2022 crosses no known break
    [weapons] = [m for m in doc["measures"] if m["id"] == "possession_of_weapons"]
    assert weapons["rows"][0]["current"] == _csv_total(
        "Bexley", {("POSSESSION OF WEAPONS", "*")}, 2023
    )
