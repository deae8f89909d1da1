"""Reading a police extract of offences (CSV or xlsx) into rows an import can record.

The extract's header is its first row naming any of these columns (title rows above it are
passed over); columns are matched by name, in any order,
ignoring case, spaces and underscores (docs/casework.md, "Importing offences"):

    reference         the person's reference (P-…) or the case's (C-…) — required
    offence_date      27/03/2024 or 2024-03-27 (a date cell in a workbook) — required
    category          "MAJOR/MINOR" in the MPS classification, or instead the two columns
    major_category    and minor_category, as the MPS publishes them
    harm_weight       optional; blank takes the crime engine's weight for the category
    police_reference  optional; the crime reference, so an offence is never imported twice

Other columns are ignored (and never stored). Every row is checked before anything is kept,
and every problem names the file, the row (as a spreadsheet numbers it) and the column.
Nothing here touches the database: matching references to people is the service's step.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from csphub.lib.dates import PAST
from csphub.panels.offence_categories import match_category

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
#: Problems listed before the rest are summed up, so a wrong file gives a readable page.
MAX_PROBLEMS = 20
MAX_HARM_WEIGHT = 100_000
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y")

REQUIRED = ("reference", "offence_date")
KNOWN = (
    "reference",
    "offence_date",
    "category",
    "major_category",
    "minor_category",
    "harm_weight",
    "police_reference",
)


class OffenceImportRejected(ValueError):
    """A file refused as a whole: PROBLEMS says, for each, file, row, column and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class OffenceRow:
    """One checked row of an extract."""

    row: int
    reference: str
    offence_date: date
    category: str
    harm_weight: float | None
    police_reference: str


def _column(name: Any) -> str:
    return "_".join(str(name or "").strip().lower().replace("_", " ").split())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _csv_rows(name: str, content: bytes) -> list[list[Any]]:
    if b"\0" in content:
        raise OffenceImportRejected([f"{name}: not a CSV file (it holds binary data)"])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OffenceImportRejected(
            [f"{name}: not UTF-8 text (byte {exc.start + 1}); save the CSV as UTF-8"]
        ) from exc
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


def _xlsx_rows(name: str, content: bytes) -> list[list[Any]]:
    import openpyxl

    if not content.startswith(b"PK"):
        raise OffenceImportRejected([f"{name}: not an xlsx workbook"])
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a broken zip, a missing part: all mean "not a workbook"
        raise OffenceImportRejected(
            [f"{name}: not a readable xlsx workbook ({type(exc).__name__})"]
        ) from exc
    try:
        sheet = book.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def read_rows(name: str, content: bytes) -> list[list[Any]]:
    """The raw rows of NAME (by its extension: .csv or .xlsx)."""
    if len(content) > MAX_BYTES:
        raise OffenceImportRejected(
            [f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB; split the extract"]
        )
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "csv":
        return _csv_rows(name, content)
    if suffix == "xlsx":
        return _xlsx_rows(name, content)
    raise OffenceImportRejected([f"{name}: not a .csv or .xlsx file"])


def _date(value: Any) -> date | str:
    """VALUE as a date, or the reason it is not one."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        day = value
    else:
        text = _text(value)
        if not text:
            return "is empty: enter the date of the offence"
        for fmt in DATE_FORMATS:
            try:
                day = datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
                break
            except ValueError:
                continue
        else:
            return f"{text!r} is not a real date, for example 27/03/2024"
    today = timezone.localdate()
    problem = PAST.problem(day, today)
    if problem == "late":
        return f"{day:%d/%m/%Y} is in the future"
    if problem == "early":
        return f"{day:%d/%m/%Y} is before {PAST.earliest(today):%d/%m/%Y}"
    return day


def _weight(value: Any) -> float | str | None:
    text = _text(value)
    if not text:
        return None
    try:
        weight = float(text.replace(",", ""))
    except ValueError:
        return f"{text!r} is not a number, like 330"
    if not 0 <= weight <= MAX_HARM_WEIGHT:
        return f"{text} is not between 0 and {MAX_HARM_WEIGHT:,}"
    return weight


def _header(name: str, rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    # Title rows above the header (an extract's name and date) are passed over: the header is
    # the first row naming any column this import reads.
    for index, row in enumerate(rows):
        if any(_column(c) in KNOWN for c in row):
            columns: dict[str, int] = {}
            for position, cell in enumerate(row):
                column = _column(cell)
                if column in KNOWN:
                    if column in columns:
                        raise OffenceImportRejected(
                            [f"{name}, row {index + 1}: the column {column} appears twice"]
                        )
                    columns[column] = position
            missing = [c for c in REQUIRED if c not in columns]
            if "category" not in columns and not {"major_category", "minor_category"} <= set(
                columns
            ):
                missing.append("category (or major_category and minor_category)")
            if missing:
                raise OffenceImportRejected(
                    [f"{name}, row {index + 1}: the header has no column {', '.join(missing)}"]
                )
            return index, columns
    if not any(_text(c) for row in rows for c in row):
        raise OffenceImportRejected([f"{name}: the file is empty"])
    raise OffenceImportRejected(
        [f"{name}: no header row (one naming the columns reference, offence_date and category)"]
    )


def parse_offences(name: str, content: bytes) -> list[OffenceRow]:
    """Every data row of the extract NAME, checked; OffenceImportRejected lists the problems."""
    rows = read_rows(name, content)
    header_at, columns = _header(name, rows)
    problems: list[str] = []
    parsed: list[OffenceRow] = []
    data = [(i + 1, r) for i, r in enumerate(rows) if i > header_at and any(_text(c) for c in r)]
    if not data:
        raise OffenceImportRejected([f"{name}: the header has no rows under it"])
    if len(data) > MAX_ROWS:
        raise OffenceImportRejected(
            [f"{name}: {len(data):,} rows, more than {MAX_ROWS:,}; split the extract"]
        )
    seen: dict[tuple[str, str], int] = {}
    for number, row in data:

        def cell(column: str, row: list[Any] = row) -> Any:
            position = columns.get(column)
            return row[position] if position is not None and position < len(row) else None

        where = f"{name}, row {number}"
        row_problems: list[str] = []
        reference = _text(cell("reference")).upper()
        if not reference:
            row_problems.append(f"{where}, reference: is empty")
        day = _date(cell("offence_date"))
        if isinstance(day, str):
            row_problems.append(f"{where}, offence_date: {day}")
        if "category" in columns:
            given, category_column = _text(cell("category")), "category"
        else:
            major, minor = _text(cell("major_category")), _text(cell("minor_category"))
            given, category_column = f"{major}/{minor}", "major_category/minor_category"
        category = match_category(given)
        if category is None:
            row_problems.append(
                f"{where}, {category_column}: {given!r} is not an MPS offence category "
                "(MAJOR/MINOR, for example ROBBERY/ROBBERY OF PERSONAL PROPERTY)"
            )
        weight = _weight(cell("harm_weight"))
        if isinstance(weight, str):
            row_problems.append(f"{where}, harm_weight: {weight}")
        police_reference = _text(cell("police_reference"))
        if len(police_reference) > 40:
            row_problems.append(f"{where}, police_reference: longer than 40 characters")
        elif police_reference:
            first = seen.setdefault((reference, police_reference), number)
            if first != number:
                row_problems.append(
                    f"{where}, police_reference: {police_reference} for {reference} is "
                    f"already on row {first}"
                )
        if row_problems:
            problems.extend(row_problems)
            continue
        assert isinstance(day, date) and category is not None and not isinstance(weight, str)
        parsed.append(OffenceRow(number, reference, day, category, weight, police_reference))
    if problems:
        raise OffenceImportRejected(limit_problems(problems))
    return parsed


def limit_problems(problems: list[str]) -> list[str]:
    """The first MAX_PROBLEMS problems, and how many more there are."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], f"… and {more} more problem{'s' if more > 1 else ''}"]
