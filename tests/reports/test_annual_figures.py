"""The annual report's crime sentences, checked against the crime engine's JSON contract on the
real data in ../shared/data: every number a sentence gives is the one `crimestats figures
--format json` gives for the same measure, area and year."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from crimestats.cli import main as crimestats_main
from csphub.reports.build import build
from csphub.reports.trace import Sentence

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(crime_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    args = ["--data-dir", str(crime_data_dir), "figures", "--area", "Bexley", "--year", "2023"]
    assert crimestats_main([*args, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    return {m["id"]: {r["level"]: r for r in m["rows"]} for m in doc["measures"]}


def _signed(pct: float) -> str:
    return f"{pct:+,.1f}%"


def _sentence(sentences: list[Sentence], starts: str, contains: str) -> Sentence:
    return next(s for s in sentences if s.text.startswith(starts) and contains in s.text)


def test_serious_violence_sentence_gives_the_engines_changes_for_london_bcu_and_borough(
    with_crime_data: Path, contract: dict[str, Any], make_user: Any
) -> None:
    report = build(make_user("csp_admin"), 2023)
    sv = contract["serious_violence"]
    s = _sentence(report.crime.sentences, "There was", "serious violence offences")
    assert s.figures == [
        _signed(sv["london"]["change_pct"]),
        _signed(sv["bcu"]["change_pct"]),
        _signed(sv["borough"]["change_pct"]),
        f"{sv['borough']['previous']:,}",
        f"{sv['borough']['current']:,}",
    ]
    # By hand from the JSON above: Bexley 2,194 -> 2,235 is +1.9% and the exact test finds no
    # evidence of change; London +6.8% and the South East BCU +8.6% are significant.
    assert s.text.startswith(
        "There was an increase of +6.8% in serious violence offences across London comparing "
        "2022 with 2023, and +8.6% in the South East BCU. Bexley recorded an increase of +1.9%"
    )
    assert sv["borough"]["verdict"] == "no evidence of change"
    assert "no evidence of change" in s.text


def test_knife_crime_and_robbery_sentences_match_the_engine(
    with_crime_data: Path, contract: dict[str, Any], make_user: Any
) -> None:
    report = build(make_user("csp_admin"), 2023)
    knife = contract["knife_crime"]
    s = _sentence(report.crime.sentences, "There was", "knife crime offences across")
    assert s.figures[:3] == [
        _signed(knife[level]["change_pct"]) for level in ("london", "bcu", "borough")
    ]
    robbery = contract["personal_robbery"]["borough"]
    r = _sentence(report.crime.sentences, "Personal robbery", "")
    assert r.figures[:3] == [
        _signed(robbery["change_pct"]),
        f"{robbery['previous']:,}",
        f"{robbery['current']:,}",
    ]


@pytest.mark.parametrize(
    ("measure", "words"),
    [("homicide", "homicides"), ("possession_of_weapons", "possession of weapons offences")],
)
def test_homicide_and_possession_of_weapons_counts_appear(
    with_crime_data: Path, contract: dict[str, Any], make_user: Any, measure: str, words: str
) -> None:
    report = build(make_user("csp_admin"), 2023)
    row = contract[measure]["borough"]
    s = _sentence(report.crime.sentences, "During 2023", words)
    assert s.text == (
        f"During 2023, there were {row['current']:,} {words} in Bexley "
        f"({row['previous']:,} in 2022)."
    )


def test_every_figure_links_to_an_appendix_entry_naming_its_files(
    with_crime_data: Path, make_user: Any
) -> None:
    report = build(make_user("csp_admin"), 2023)
    keys = {e.key: e for e in report.appendix.entries}
    parts = [p for s in report.crime.sentences for p in s.parts if p.entry]
    assert parts and all(p.entry in keys for p in parts)
    sv = next(e for e in report.appendix.entries if e.title.startswith("Serious violence"))
    assert any(s.name.startswith("MPS Borough Level Crime") for s in sv.sources)
    assert all(re.fullmatch(r"[0-9a-f]{64}", s.sha256) for s in sv.sources)
    assert "Measures file version 1" in sv.definition
    assert sv.period == "2023 against 2022; baseline 2019"


def test_the_comparison_says_it_carries_no_caveat(with_crime_data: Path, make_user: Any) -> None:
    report = build(make_user("csp_admin"), 2023)
    assert report.crime.caveat == (
        "No known break in recording affects the comparison of 2023 with 2022, so it carries "
        "no caveat."
    )
