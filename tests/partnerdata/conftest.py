"""Small partner files, made here in the ISTV and counts layouts."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import pytest

from csphub.partnerdata.services import do_import_partner_extract

ISTV_HEADER = ["Date", "Time", "Location of incident", "Weapon", "Age band", "Sex"]
#: Six A&E attendances for assault. By hand: October 2022 has 4 (sharp: rows 1 and 3; under 25:
#: rows 1, 2 and 3; sharp and under 25: rows 1 and 3); November 2022 has 2 (sharp: row 6 (glass);
#: under 25: none, row 5 is not known and row 6 is 65+). Times: October's row 4 has none, and
#: the other three (23:15, 01:40, 22:05) are at night; November's 02:30 is, 21:00 is not.
ISTV_ROWS = [
    ["2022-10-01", "23:15", "Broadway, Bexleyheath", "Knife", "18-24", "Male"],
    ["2022-10-08", "01:40", "Outside a pub", "Fist", "0-17", "Female"],
    ["2022-10-15", "22:05", "Bus station", "Sharp object", "18-24", "Male"],
    ["2022-10-30", "", "Home address", "Feet", "25-34", "Male"],
    ["2022-11-02", "02:30", "Park", "Unknown", "Not known", "Not known"],
    ["2022-11-20", "21:00", "Licensed premises", "Glass", "65+", "Female"],
]

COUNTS_HEADER = ["Month", "Area code", "Measure", "Count"]


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def xlsx_bytes(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_counts(actor, rows, name="admissions.csv", **kwargs):
    return do_import_partner_extract(
        actor=actor,
        file_name=name,
        data=csv_bytes(COUNTS_HEADER, rows),
        layout="counts",
        supplier=kwargs.pop("supplier", "NHS South East London ICB"),
        agreement_reference=kwargs.pop("agreement_reference", "ISA-2023-07"),
        **kwargs,
    )


@pytest.fixture
def world(partnership):
    return partnership
