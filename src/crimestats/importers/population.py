"""ONS mid-year population estimates by LSOA 2021, as the ONS publishes them (xlsx or CSV).

The published workbook has one sheet per year, named like ``Mid-2022 LSOA 2021``: a few title
rows, then a header row with ``LAD 2021 Code``, ``LAD 2021 Name``, ``LSOA 2021 Code``,
``LSOA 2021 Name``, ``Total`` and one column per sex and single year of age (``F0`` ... ``M90``).
The CSV is the same table, with or without the title rows. The year comes from the sheet's name
or, failing that, a title (``Mid-2022``). Only the code and the total are kept: rates need the
number of residents, not their ages.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from crimestats.importers.base import Detected
from crimestats.importers.validation import ImportRejected

LEVEL = "lsoa21"
CODE_COLUMN = "LSOA 2021 Code"
TOTAL_COLUMN = "Total"
LSOA21_CODE = re.compile(r"^[EW]01\d{6}$")
#: A sheet or title naming the year of the estimates ("Mid-2022 LSOA 2021", "mid-2022").
MID_YEAR = re.compile(r"\bmid[- ]?(\d{4})\b", re.I)
#: Columns that, beside "Total", mark the header row of the ONS layout.
HEADER_MARKS = {"lsoa 2021 code", "lsoa 2021 name", "lad 2021 code", "lad 2021 name"}
#: How many rows above the header may hold titles and notes.
TITLE_ROWS = 20


def _normal(cell: object) -> str:
    return re.sub(r"\s+", " ", str(cell or "")).strip().lower()


def _is_header(row: list[object]) -> bool:
    """A row naming the total and a 2021 geography column (the LSOA code, or its LAD)."""
    names = {_normal(c) for c in row}
    return "total" in names and bool(names & HEADER_MARKS)


def _header_index(rows: list[list[object]]) -> int | None:
    return next((i for i, row in enumerate(rows[:TITLE_ROWS]) if _is_header(row)), None)


def _csv_rows(path: Path, name: str) -> Iterator[list[object]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            yield from csv.reader(fh)
    except UnicodeDecodeError as exc:
        raise ImportRejected(name, "not UTF-8 text") from exc
    except csv.Error as exc:
        raise ImportRejected(name, f"not readable as CSV ({exc})") from exc


def looks_like_population_csv(path: Path, name: str) -> bool:
    """True when a header of the ONS layout sits within the first rows of the CSV."""
    head: list[list[object]] = []
    for row in _csv_rows(path, name):
        head.append(row)
        if len(head) >= TITLE_ROWS:
            break
    return _header_index(head) is not None


def _workbook_sheet(path: Path, name: str) -> tuple[str, list[list[object]]]:
    """The sheet holding the LSOA 2021 table (the one named for it, else the first with its
    header) and its rows."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException, ...
        raise ImportRejected(name, f"not a readable xlsx workbook ({type(exc).__name__})") from exc
    try:
        sheets = sorted(
            book.sheetnames,
            key=lambda s: (
                not (MID_YEAR.search(s) and "lsoa" in s.lower()),
                book.sheetnames.index(s),
            ),
        )
        for sheet in sheets:
            rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
            if _header_index(rows) is not None:
                return sheet, rows
    finally:
        book.close()
    raise ImportRejected(name, f"no sheet has a header row with an {CODE_COLUMN!r} column", row=0)


def _read(path: Path, name: str) -> tuple[str, list[list[object]], int]:
    """(where the year may be read, every row, the header's index)."""
    if path.suffix.lower() == ".xlsx":
        sheet, rows = _workbook_sheet(path, name)
        where = sheet
    else:
        rows = list(_csv_rows(path, name))
        where = ""
    index = _header_index(rows)
    if index is None:
        raise ImportRejected(name, f"no header row with an {CODE_COLUMN!r} column", row=0)
    return where, rows, index


def _year(where: str, titles: list[list[object]], name: str) -> int:
    for text in [where, *(str(c) for row in titles for c in row if c is not None), name]:
        found = MID_YEAR.search(text)
        if found:
            return int(found.group(1))
    raise ImportRejected(
        name, 'no year of the estimates: neither the sheet name nor a title says "Mid-YYYY"'
    )


def detect(path: Path, file_name: str = "") -> Detected:
    """Recognise the ONS layout and the year of its estimates, or refuse saying why."""
    name = file_name or path.name
    where, rows, index = _read(path, name)
    year = _year(where, rows[:index], name)
    header = [_normal(c) for c in rows[index]]
    if _normal(CODE_COLUMN) not in header:
        raise ImportRejected(name, f"no {CODE_COLUMN!r} column", row=0)
    if _normal(TOTAL_COLUMN) not in header:
        raise ImportRejected(name, f"no {TOTAL_COLUMN!r} column", row=0)
    return Detected(
        format_id="ons_population_lsoa21",
        description=f"ONS mid-{year} population estimates by LSOA 2021",
        dataset="population",
        classification="",
        level=LEVEL,
        vintage=str(year),
        details={"year": str(year)},
    )


def load_rows(path: Path, file_name: str, detected: Detected) -> list[tuple[str, int]]:
    """(code, population) for every data row; refuses the whole file on any bad row.

    Rows are numbered as in the file (the first row of the file is row 1), so a reader can
    find the one named. Blank rows and notes below the table are skipped.
    """
    _, rows, index = _read(path, file_name)
    header = [_normal(c) for c in rows[index]]
    code_at, total_at = header.index(_normal(CODE_COLUMN)), header.index(_normal(TOTAL_COLUMN))
    out: list[tuple[str, int]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[index + 1 :], start=index + 2):
        cells = [c for c in row if c not in (None, "")]
        if not cells:
            continue
        code = str((row[code_at] if code_at < len(row) else None) or "").strip()
        if not code and len(cells) == 1:
            continue  # a note under the table ("Source: ONS")
        if not LSOA21_CODE.match(code):
            raise ImportRejected(
                file_name,
                f"not an LSOA 2021 code (E01… or W01… and six digits): {code!r}",
                row=number,
                column=CODE_COLUMN,
            )
        if code in seen:
            raise ImportRejected(
                file_name,
                f"duplicate code {code} (first on row {seen[code]})",
                row=number,
                column=CODE_COLUMN,
            )
        seen[code] = number
        out.append(
            (code, _total(row[total_at] if total_at < len(row) else None, file_name, number))
        )
    if not out:
        raise ImportRejected(file_name, "no data rows under the header")
    return out


def _total(value: object, file_name: str, number: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})*|[0-9]+", value.strip()):
        value = int(value.strip().replace(",", ""))
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise ImportRejected(
            file_name,
            f"the total is not a whole number of people: {value!r}",
            row=number,
            column=TOTAL_COLUMN,
        )
    return value
