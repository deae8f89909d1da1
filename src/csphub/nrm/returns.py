"""The quarterly return to the Home Office as xlsx and CSV, in its NRM statistics categories,
with every count through the casework suppression policy (counts of 1 to 4 shown as "<5", and
a second count hidden where a total would give a hidden one away)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from itertools import groupby

from openpyxl import Workbook

from csphub.lib.csv_safe import neutralise_cell
from csphub.lib.disclosure import Output, Source, describe, threshold_for
from csphub.lib.periods import Period
from csphub.lib.suppression import suppress
from csphub.nrm.models import Referral
from csphub.nrm.reports import return_rows

HEADER = ["Table", "Category", "Count"]
#: Tables whose categories overlap (a child may suffer several types of exploitation): no
#: total is published, so no second count needs hiding to protect a small one.
OVERLAPPING = {"Referrals by exploitation type"}


def suppressed_rows(referrals: Iterable[Referral], quarter: Period) -> list[list[str]]:
    """The return's rows (table, category, count as shown), each table with its total."""
    threshold = threshold_for(Source.CASEWORK, Output.PUBLICATION)
    out: list[list[str]] = []
    for table, rows in groupby(return_rows(referrals, quarter), key=lambda r: r.table):
        listed = list(rows)
        with_total = table not in OVERLAPPING
        counted = suppress(
            [[r.count] for r in listed], threshold, row_totals=False, col_totals=with_total
        )
        for i, row in enumerate(listed):
            out.append([table, row.category, counted.display(i, 0)])
        if not with_total:
            continue
        total = counted.col_totals[0] if counted.col_totals else None
        out.append([table, "Total", str(total) if total is not None else "[c]"])
    return out


def note(quarter: Period) -> str:
    threshold = threshold_for(Source.CASEWORK, Output.PUBLICATION)
    return f"Children's NRM decisions, {quarter.label}. {describe(threshold)}"


def return_csv(referrals: Iterable[Referral], quarter: Period) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in suppressed_rows(referrals, quarter):
        writer.writerow([neutralise_cell(v) for v in row])
    writer.writerow([])
    writer.writerow([note(quarter)])
    return buffer.getvalue().encode("utf-8")


def return_xlsx(referrals: Iterable[Referral], quarter: Period) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "NRM return"
    sheet.append(HEADER)
    for table, category, shown in suppressed_rows(referrals, quarter):
        sheet.append([table, category, int(shown) if shown.isdigit() else shown])
    sheet.append([])
    sheet.append([note(quarter)])
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
