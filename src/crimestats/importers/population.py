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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
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


def _csv_rows(path: Path, name: str, errors: str = "strict") -> Iterator[list[object]]:
    try:
        with path.open(encoding="utf-8-sig", newline="", errors=errors) as fh:
            yield from csv.reader(fh)
    except UnicodeDecodeError as exc:
        raise ImportRejected(name, "not UTF-8 text") from exc
    except csv.Error as exc:
        raise ImportRejected(name, f"not readable as CSV ({exc})") from exc


def looks_like_population_csv(path: Path, name: str) -> bool:
    """True when a header of the ONS layout sits within the first rows of the CSV."""
    head: list[list[object]] = []
    try:
        for row in _csv_rows(path, name, errors="replace"):
            head.append(row)
            if len(head) >= TITLE_ROWS:
                break
    except ImportRejected:
        return False  # the other CSV readers say what is wrong with it
    return _header_index(head) is not None


@dataclass
class _Table:
    """One year's table: where it is (a sheet, or "" for a CSV), its year, the header's
    index and names."""

    sheet: str
    year: int
    header_at: int
    header: list[str]


def _open_book(path: Path, name: str):  # type: ignore[no-untyped-def]
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException, ...
        raise ImportRejected(name, f"not a readable xlsx workbook ({type(exc).__name__})") from exc


def _table(sheet: str, head: list[list[object]], name: str) -> _Table | None:
    index = _header_index(head)
    if index is None:
        return None
    year = _year(sheet, head[:index], name if not sheet else f"{name}, sheet {sheet!r}")
    return _Table(sheet, year, index, [_normal(c) for c in head[index]])


def _tables(path: Path, name: str) -> list[_Table]:
    """Every year's table in the file: in a workbook, each sheet named like "Mid-2022 LSOA
    2021" (the ONS publishes several years in one), else the first sheet with the header."""
    if path.suffix.lower() != ".xlsx":
        head = []
        for row in _csv_rows(path, name):
            head.append(row)
            if len(head) >= TITLE_ROWS:
                break
        found = _table("", head, name)
        if found is None:
            raise ImportRejected(name, f"no header row with an {CODE_COLUMN!r} column", row=0)
        return [found]
    book = _open_book(path, name)
    try:
        heads = {
            sheet: [list(r) for r in book[sheet].iter_rows(max_row=TITLE_ROWS, values_only=True)]
            for sheet in book.sheetnames
        }
    finally:
        book.close()
    named = [s for s in heads if MID_YEAR.search(s) and "lsoa" in s.lower()]
    if named:
        tables = [t for t in (_table(s, heads[s], name) for s in named) if t is not None]
    else:
        tables = next(([t] for s in heads if (t := _table(s, heads[s], name)) is not None), [])
    if not tables:
        raise ImportRejected(
            name, f"no sheet has a header row with an {CODE_COLUMN!r} column", row=0
        )
    return tables
    tables = [t for t in (_table(s, heads[s], name) for s in named) if t is not None]
    if not tables:
        raise ImportRejected(
            name, f"no sheet has a header row with an {CODE_COLUMN!r} column", row=0
        )
    return tables


def _year(where: str, titles: list[list[object]], name: str) -> int:
    for text in [where, *(str(c) for row in titles for c in row if c is not None), name]:
        found = MID_YEAR.search(text)
        if found:
            return int(found.group(1))
    raise ImportRejected(
        name, 'no year of the estimates: neither the sheet name nor a title says "Mid-YYYY"'
    )


def detect(path: Path, file_name: str = "") -> Detected:
    """Recognise the ONS layout and the years of its estimates, or refuse saying why."""
    name = file_name or path.name
    tables = _tables(path, name)
    for table in tables:
        where = name if not table.sheet else f"{name}, sheet {table.sheet!r}"
        for column in (CODE_COLUMN, TOTAL_COLUMN):
            if _normal(column) not in table.header:
                raise ImportRejected(where, f"no {column!r} column", row=0)
    years = sorted({t.year for t in tables})
    if len(years) < len(tables):
        raise ImportRejected(name, f"two sheets hold estimates for mid-{years[0]}")
    said = " and ".join(f"mid-{y}" for y in years)
    return Detected(
        format_id="ons_population_lsoa21",
        description=f"ONS {said} population estimates by LSOA 2021",
        dataset="population",
        classification="",
        level=LEVEL,
        vintage=str(years[-1]),
        details={"years": ",".join(str(y) for y in years)},
    )


def load_rows(path: Path, file_name: str, detected: Detected) -> dict[int, list[tuple[str, int]]]:
    """Each year's (code, population) rows; refuses the whole file on any bad row.

    Rows are numbered as in the file or sheet (its first row is row 1), so a reader can find
    the one named. Blank rows and notes below the table are skipped. Only the code and total
    columns are read from a workbook.
    """
    tables = _tables(path, file_name)
    out: dict[int, list[tuple[str, int]]] = {}
    if path.suffix.lower() != ".xlsx":
        table = tables[0]
        rows = list(_csv_rows(path, file_name))[table.header_at + 1 :]
        out[table.year] = _rows(rows, table, file_name)
        return out
    book = _open_book(path, file_name)
    try:
        for table in tables:
            width = max(table.header.index(_normal(c)) for c in (CODE_COLUMN, TOTAL_COLUMN)) + 1
            rows = book[table.sheet].iter_rows(
                min_row=table.header_at + 2, max_col=width, values_only=True
            )
            out[table.year] = _rows(rows, table, f"{file_name}, sheet {table.sheet!r}")
    finally:
        book.close()
    return out


def _rows(rows: Iterable[Sequence[object]], table: _Table, where: str) -> list[tuple[str, int]]:
    code_at = table.header.index(_normal(CODE_COLUMN))
    total_at = table.header.index(_normal(TOTAL_COLUMN))
    out: list[tuple[str, int]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=table.header_at + 2):
        cells = [c for c in row if c not in (None, "")]
        if not cells:
            continue
        code = str((row[code_at] if code_at < len(row) else None) or "").strip()
        if not code and len(cells) == 1:
            continue  # a note under the table ("Source: ONS")
        if not LSOA21_CODE.match(code):
            raise ImportRejected(
                where,
                f"not an LSOA 2021 code (E01… or W01… and six digits): {code!r}",
                row=number,
                column=CODE_COLUMN,
            )
        if code in seen:
            raise ImportRejected(
                where,
                f"duplicate code {code} (first on row {seen[code]})",
                row=number,
                column=CODE_COLUMN,
            )
        seen[code] = number
        total = row[total_at] if total_at < len(row) else None
        out.append((code, _total(total, where, number)))
    if not out:
        raise ImportRejected(where, "no data rows under the header")
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
