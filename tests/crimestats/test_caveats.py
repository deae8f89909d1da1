"""Known breaks in the data: the shipped file, its checks, and which comparisons cross them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crimestats.caveats import caveats_for, chart_marks, default_caveats_path, load_caveats
from crimestats.cli import main
from crimestats.periods import Period, calendar_year, parse_month
from crimestats.warehouse import Warehouse


def test_the_shipped_file_holds_the_four_known_breaks() -> None:
    shipped = load_caveats()
    assert {c.id for c in shipped.caveats} == {
        "covid_restrictions",
        "mps_connect",
        "mps_classification_2023",
        "police_uk_anonymisation",
    }
    covid = next(c for c in shipped.caveats if c.id == "covid_restrictions")
    assert (covid.start, covid.end) == (parse_month("2020-03"), parse_month("2021-12"))


@pytest.mark.parametrize(
    ("years", "sources", "expected"),
    [
        # The partnership's own words: comparisons for the two years after December 2021
        # carry no caveat.
        ((2022, 2023), {"mps_2023"}, []),
        ((2021, 2022), {"mps_2023"}, ["covid_restrictions"]),  # 2021 overlaps the window
        ((2019, 2023), {"mps_2023"}, []),  # the baseline straddles it but neither year is in it
        ((2023, 2024), {"mps_2023"}, ["mps_connect"]),  # January 2024 before, February after
        ((2023, 2024), {"police_uk"}, ["police_uk_anonymisation"]),  # CONNECT is MPS only
        ((2024, 2025), {"dashboard"}, ["mps_connect"]),  # January 2024 is before the change
        ((2025, 2026), {"mps_2023"}, []),
        ((2022, 2023), {"mps_pre2023"}, ["mps_classification_2023"]),
    ],
)
def test_which_comparisons_cross_a_break(years, sources, expected) -> None:  # type: ignore[no-untyped-def]
    periods = [calendar_year(y) for y in years]
    assert [c.id for c in caveats_for(periods, sources)] == expected


def test_a_rolling_year_after_the_change_does_not_cross_it() -> None:
    before = Period(parse_month("2024-02"), parse_month("2025-01"), "")
    after = Period(parse_month("2025-02"), parse_month("2026-01"), "")
    assert caveats_for([before, after], {"mps_2023"}) == []
    assert [c.id for c in chart_marks(Period(before.start, after.end, ""), {"mps_2023"})] == []
    straddling = Period(parse_month("2023-02"), parse_month("2025-01"), "")
    assert [c.id for c in chart_marks(straddling, {"mps_2023"})] == ["mps_connect"]


def test_a_user_adds_a_break_by_editing_the_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    own = tmp_path / "caveats.yaml"
    shutil.copy(default_caveats_path(), own)
    monkeypatch.setenv("CSPHUB_CAVEATS", str(own))
    assert caveats_for([calendar_year(2022), calendar_year(2023)], {"mps_2023"}) == []
    own.write_text(
        own.read_text(encoding="utf-8")
        + "  stop_search_pilot:\n    kind: change\n    month: 2023-06\n"
        + "    title: A local recording pilot\n    text: Recording changed in June 2023.\n",
        encoding="utf-8",
    )
    found = caveats_for([calendar_year(2022), calendar_year(2023)], {"mps_2023"})
    assert [c.id for c in found] == ["stop_search_pilot"]
    assert found[0].text == "Recording changed in June 2023."


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("    kind: sometimes\n    title: T\n    text: X\n", "kind must be one of"),
        ("    kind: change\n    title: T\n    text: X\n", "a month (YYYY-MM) is required"),
        ("    kind: change\n    month: 2024-13\n    title: T\n    text: X\n", "not a month"),
        (
            "    kind: window\n    from: 2022-05\n    to: 2021-01\n    title: T\n    text: X\n",
            "'to' is before 'from'",
        ),
        ("    kind: change\n    month: 2024-01\n    title: T\n", "'text' is required"),
        ("    kind: always\n    title: T\n    text: X\n", "must name its sources"),
        (
            "    kind: always\n    sources: [nowhere]\n    title: T\n    text: X\n",
            "unknown sources ['nowhere']",
        ),
        (
            "    kind: change\n    month: 2024-01\n    when: soon\n    title: T\n    text: X\n",
            "unknown keys ['when']",
        ),
    ],
)
def test_a_bad_entry_is_refused_naming_the_file_and_the_caveat(
    tmp_path: Path, entry: str, message: str
) -> None:
    bad = tmp_path / "caveats.yaml"
    bad.write_text("version: 2\ncaveats:\n  broken:\n" + entry, encoding="utf-8")
    with pytest.raises(ValueError, match="caveat broken") as refused:
        load_caveats(bad)
    assert message in str(refused.value)
    assert str(bad) in str(refused.value)


def test_cli_json_carries_the_caveats_a_comparison_crosses(
    warehouse: Warehouse, capsys, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    data_dir = tmp_path / "copy"
    warehouse.copy_to(data_dir / "crimestats" / "warehouse.duckdb")
    base = ["--data-dir", str(data_dir), "figures", "--area", "Bexley", "--format", "json"]
    assert main([*base, "--year", "2023"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["caveats"] == [] and doc["caveats_version"] == 1
    assert main([*base, "--year", "2021"]) == 0
    doc = json.loads(capsys.readouterr().out)
    [covid] = [c for c in doc["caveats"] if c["id"] == "covid_restrictions"]
    assert "March 2020 to December 2021" in covid["text"]
    assert "serious_violence" in covid["measures"]
