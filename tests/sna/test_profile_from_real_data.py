"""The profile from the real MPS files: the deprivation table's offences by IMD 2025 decile
add up, decile by decile, to the LSOA file's serious violence summed with the csv module and
the IMD workbook read with openpyxl, independently of the crime app and of csphub.sna.imd."""

from __future__ import annotations

import csv
from collections import Counter

import openpyxl
import pytest

from csphub.lib.disclosure import Output
from csphub.lib.periods import window
from csphub.sna.definitions import preset
from csphub.sna.profile import profile
from tests.crime.conftest import LSOA_RECENT
from tests.realdata import DATA

#: The LSOA file of the session's warehouse starts in August 2023.
WINDOW = "2023-10:2024-09"
SERIOUS = {
    ("VIOLENCE AGAINST THE PERSON", "HOMICIDE"),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY"),
    ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY"),
}


def _expected_by_decile() -> Counter[int]:
    book = openpyxl.load_workbook(
        DATA / "imd" / "File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx", read_only=True
    )
    decile = {
        row[0]: row[5]
        for row in book["IMD25"].iter_rows(values_only=True)
        if isinstance(row[0], str) and row[0].startswith("E01")
    }
    months = [f"{m:%Y%m}" for m in window(WINDOW).month_list()]
    out: Counter[int] = Counter()
    with LSOA_RECENT.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["Borough"] != "E09000004":
                continue
            key = (row["Major Category"], row["Minor Category"])
            if key in SERIOUS or row["Major Category"] == "POSSESSION OF WEAPONS":
                out[decile[row["LSOA Code"]]] += sum(int(row[m]) for m in months)
    return out


@pytest.mark.slow
def test_violence_by_imd_decile_matches_the_files(with_crime_data, db):
    result = profile(preset(), window(WINDOW), Output.INTERNAL)
    assert not result.missing
    assert result.by_decile is not None
    shown = {label: cells[1] for label, cells in result.by_decile.rows}
    expected = _expected_by_decile()
    assert sum(expected.values()) > 0
    assert shown == {f"Decile {d}": f"{expected[d]:,}" for d in range(1, 11)}
    # The places are ranked by the hot spot page's Gi*, each named by its LSOA.
    assert result.places and all(p["code"].startswith("E01") for p in result.places)
    assert result.total_sentence.startswith(f"{result.total} serious violence offences")
