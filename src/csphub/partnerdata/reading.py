"""Read a partner's CSV or xlsx file into rows of text, keyed by the mapping's column names."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import PurePath

from csphub.partnerdata.errors import ExtractRefused

#: Files larger than this are refused before they are read.
MAX_BYTES = 20 * 1024 * 1024


def _text(value: object) -> str:
    """A spreadsheet cell as the text a CSV would have held."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(file_name: str, data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractRefused(file_name, None, None, "the file is not UTF-8 text") from exc
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def _xlsx_rows(file_name: str, data: bytes) -> list[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ExtractRefused(file_name, None, None, "the file is not an xlsx workbook") from exc
    sheet = book.worksheets[0]
    rows = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def read_rows(
    file_name: str, data: bytes, columns: dict[str, str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it, {mapping key: cell}) for each non-blank row.

    Refuses a file that is too large, of another type, or missing a mapped column.
    """
    if len(data) > MAX_BYTES:
        raise ExtractRefused(file_name, None, None, f"the file is larger than {MAX_BYTES:,} bytes")
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(file_name, data)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(file_name, data)
    else:
        raise ExtractRefused(file_name, None, None, "only .csv and .xlsx files can be imported")
    if not rows:
        raise ExtractRefused(file_name, 1, None, "the file is empty")
    header = [h.strip().lower() for h in rows[0]]
    where: dict[str, int] = {}
    for key, heading in columns.items():
        if heading.strip().lower() not in header:
            raise ExtractRefused(file_name, 1, heading, "this column is missing from the header")
        where[key] = header.index(heading.strip().lower())
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(header) - len(row))
        yield number, {key: cells[i].strip() for key, i in where.items()}
