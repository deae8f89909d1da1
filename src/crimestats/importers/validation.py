"""The one validation layer every importer goes through, and its one error type.

A file is refused with :class:`ImportRejected`, which names the file, where in it (the header,
a data row counted from 1 after the header, and the column), and the reason.  Nothing of a
refused file is written.

What is checked, and how:

- **Structure** (CSV): every file is read by DuckDB with the columns given (all text, no
  sniffing), strict: a row with more or fewer fields than the header, broken quoting, a row
  longer than :data:`MAX_ROW_CHARS`, or text that is not UTF-8 is refused.  DuckDB by itself
  accepts extra *empty* fields at the end of a row (so a stray comma in a row whose last field
  is blank shifted every column after it); reading with a null string that never occurs
  (:data:`NEVER_NULL`) makes it count them.  Fields are therefore never NULL: a blank field is
  ``''``.  When DuckDB refuses a file, the row is found again with Python's csv module, which
  also says how many fields the row has.
- **Values**: checks are ``(column, SQL predicate true for a bad value, reason)``
  (:class:`Check`), written over the text exactly as in the file, so ``1.5``, ``1e3``,
  ``0x10``, ``1_000``, ``+5`` and ``" 5"`` are not counts and ``1_0`` is not a coordinate
  (casting first would have read them as numbers).  The same checks run row by row
  (:func:`first_bad_row`, to name the row) and inside the one-pass street import
  (:func:`guarded`), so the two cannot drift apart.
- **Headers**: a column named twice, or a column with no name, is refused
  (:func:`check_header`); each importer says which of its columns are missing.
- A file with a header and **no data rows** is refused: it would replace months with nothing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import duckdb

#: The longest row accepted, in characters (the csv module's own limit for one field).
MAX_ROW_CHARS = 131_072
#: Read as NULL by DuckDB's CSV reader; no real field is this, so every field reads as text.
NEVER_NULL = "\u2400crimestats-never-null\u2400"
#: Years a month may fall in (police open data start in 2008; nothing is dated past 2099).
YEARS = (2000, 2099)


class ImportRejected(ValueError):
    """A file failed validation; nothing was written.  Names file, row, column and reason.

    ``row`` is 0 for the header, 1 for the first data row, and None when the problem is the
    whole file (not a zip archive, not Parquet, not JSON).
    """

    def __init__(
        self, file_name: str, reason: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.file_name, self.reason, self.row, self.column = file_name, reason, row, column
        where = []
        if row is not None:
            where.append("header row" if row == 0 else f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        at = f" ({', '.join(where)})" if where else ""
        super().__init__(f"{file_name}{at}: {reason}")


class Check(NamedTuple):
    """A rule for one column: ``bad`` is an SQL predicate true for a value that breaks it."""

    column: str
    bad: str
    reason: str


def ident(column: str) -> str:
    """COLUMN as a quoted SQL identifier."""
    return '"' + column.replace('"', '""') + '"'


def literal(text: str) -> str:
    """TEXT as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


# --- predicates over text columns (each is NULL-safe and true for a bad value) ----------------


# Each predicate that runs over every street row tries a cheap GLOB first, inside a CASE so
# that the costlier test runs only on the few values the GLOB does not settle.


def is_blank(column: str) -> str:
    """No letter or digit at all (empty, spaces, tabs, no-break spaces...)."""
    c = f"coalesce({ident(column)}, '')"
    return (
        f"CASE WHEN {c} GLOB '*[A-Za-z0-9]*' THEN false "
        f"ELSE NOT regexp_matches({c}, '[\\pL\\pN]') END"
    )


def not_whole_number(column: str) -> str:
    """Not a whole non-negative number written in the digits 0-9 alone."""
    return f"NOT coalesce(regexp_full_match({ident(column)}, '[0-9]+'), false)"


def too_large(column: str, digits: int = 7) -> str:
    """A whole number with more than DIGITS digits (after leading zeros)."""
    return f"length(ltrim({ident(column)}, '0')) > {digits}"


def not_coordinate(column: str, limit: int, other: str) -> str:
    """Not a plain decimal within +/-LIMIT (``-0.106220``); or blank while OTHER is given.

    So ``1_0``, ``1e1``, ``+0.1``, `` -0.1``, ``.5``, ``1.``, ``nan`` and ``0x1`` are refused
    (a cast alone reads most of them as numbers).
    """
    c, o = ident(column), ident(other)
    return (
        f"CASE WHEN {c} = '' THEN {o} != '' "
        f"ELSE NOT coalesce(regexp_full_match({c}, '-?[0-9]+(\\.[0-9]+)?') "
        f"AND abs(try_cast({c} AS DOUBLE)) <= {limit}, false) END"
    )


def not_year_month(column: str, sep: str = "-") -> str:
    """Not YYYY<sep>MM with a year in :data:`YEARS` (2000-2099) and a month 01-12."""
    c, year = ident(column), f"20[0-9][0-9]{sep}"
    return (
        f"CASE WHEN {c} GLOB '{year}0[1-9]' THEN false "
        f"WHEN {c} GLOB '{year}1[0-2]' THEN false ELSE true END"
    )


def not_gss_code(column: str) -> str:
    """Not a GSS code (a letter and eight digits; spaces around it are allowed)."""
    c = ident(column)
    return (
        f"CASE WHEN {c} GLOB '[EWSN]{'[0-9]' * 8}' THEN false "
        f"ELSE NOT coalesce(regexp_full_match(trim({c}), '[EWSN][0-9]{{8}}'), false) END"
    )


def is_year_month(text: str, sep: str = "") -> bool:
    """Whether TEXT is a month YYYY<sep>MM within :data:`YEARS`.

    >>> [is_year_month(t) for t in ("202401", "000001", "202413", "20241")]
    [True, False, False, False]
    """
    m = re.fullmatch(rf"([0-9]{{4}}){re.escape(sep)}(0[1-9]|1[0-2])", text)
    return m is not None and YEARS[0] <= int(m.group(1)) <= YEARS[1]


# --- reading CSV ----------------------------------------------------------------------------


def csv_source(columns: Sequence[str], files: str = "?", *, filename: bool = False) -> str:
    """A strict ``read_csv`` of FILES with COLUMNS, all text (see the module docstring)."""
    spec = "{" + ", ".join(f"{literal(c)}: 'VARCHAR'" for c in columns) + "}"
    return (
        f"read_csv({files}, header = true, columns = {spec}, auto_detect = false, "
        "delim = ',', quote = '\"', escape = '\"', strict_mode = true, null_padding = false, "
        f"nullstr = {literal(NEVER_NULL)}, max_line_size = {MAX_ROW_CHARS}"
        + (", filename = true)" if filename else ")")
    )


def read_header(path: Path, file_name: str, rows: int = 5) -> tuple[list[str], list[list[str]]]:
    """The header (names stripped) and the first ROWS data rows, with Python's csv module."""
    read = 0  # rows read so far, the header included: the number of the row being read
    sample: list[list[str]] = []
    try:
        with path.open(encoding="utf-8-sig", newline="", errors="replace") as fh:
            reader = csv.reader(fh, strict=True)
            header = next(reader, None)
            if header is None:
                raise ImportRejected(file_name, "the file is empty", row=0)
            while len(sample) < rows:
                read += 1
                fields = next(reader, None)
                if fields is None:
                    break
                sample.append(fields)
    except csv.Error as exc:
        raise ImportRejected(file_name, _python_csv_reason(exc), row=read) from exc
    return [h.strip() for h in header], sample


def check_header(file_name: str, header: list[str]) -> None:
    """Refuse a header naming a column twice, or with a column that has no name."""
    seen: dict[str, int] = {}
    for index, name in enumerate(header, start=1):
        if not name:
            raise ImportRejected(file_name, f"column {index} of the header has no name", row=0)
        if name in seen:
            raise ImportRejected(
                file_name,
                f"the header names this column twice (columns {seen[name]} and {index})",
                row=0,
                column=name,
            )
        seen[name] = index


def load_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_name: str,
    columns: Sequence[str],
    table: str = "raw",
) -> int:
    """Read the CSV at PATH into temporary TABLE (text columns); refuse it if it is malformed.

    Returns the number of data rows (never 0: a file with a header and no rows is refused).
    """
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {csv_source(columns)}",
            [str(path)],
        )
    except duckdb.Error as exc:
        raise csv_rejection(file_name, exc, path, len(columns)) from exc
    (rows,) = con.execute(f"SELECT count(*) FROM {table}").fetchone() or (0,)
    if not rows:
        raise no_data_rows(file_name)
    return int(rows)


def no_data_rows(file_name: str, what: str = "") -> ImportRejected:
    """The refusal for a file that has no data rows (for WHAT, if given)."""
    return ImportRejected(
        file_name,
        f"no data rows{' for ' + what if what else ''}: the file has a header and nothing else, "
        "and importing it would replace what the warehouse holds with nothing",
        row=1,
    )


_DUCKDB_LINE = re.compile(r"CSV Error on Line: ~?(\d+)")


def csv_rejection(
    file_name: str, exc: duckdb.Error, path: Path | None = None, fields: int | None = None
) -> ImportRejected:
    """Say which row of a CSV DuckDB refused, and why, in plain words."""
    text = str(exc)
    line = _DUCKDB_LINE.search(text)
    duck_row = int(line.group(1)) - 1 if line else None
    found = locate_csv_problem(path, fields) if path is not None and fields else None
    # Python's csv module says how many fields a row has (DuckDB's count stops early); DuckDB
    # says better what else is wrong with the row (a quote left open reads, in Python, as one
    # overlong field).
    if found and (
        duck_row is None
        or found[0] < duck_row
        or (found[0] == duck_row and "Expected Number of Columns" in text)
    ):
        return ImportRejected(file_name, found[1], row=found[0])
    if duck_row is not None:
        return ImportRejected(file_name, _duckdb_reason(text, fields), row=duck_row)
    if path is not None and "invalid state" in text:
        mixed = _mixed_line_endings(path)
        if mixed is not None:
            return ImportRejected(
                file_name,
                "the row ends its line differently from the header (mixed Windows and Unix "
                "line endings, or a stray carriage return)",
                row=mixed,
            )
    return duckdb_rejection(file_name, exc)


def _duckdb_reason(text: str, fields: int | None) -> str:
    if "Maximum line size" in text:
        return f"the row is longer than {MAX_ROW_CHARS:,} characters{_OPEN_QUOTE}"
    if "Invalid unicode" in text:
        return "the row is not UTF-8 text"
    if re.search("unterminated quote", text, re.I):
        return "broken quoting: a quoted field is not closed, or has text after its closing quote"
    if "Expected Number of Columns" in text:
        return f"the row does not have the header's {fields} fields"
    return "could not be read as CSV: " + _first_line(text)


_OPEN_QUOTE = " (or broken quoting: a quote opened in it is never closed)"


def _python_csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a field is longer than {csv.field_size_limit():,} characters{_OPEN_QUOTE}"
    if "unexpected end of data" in text:
        return "broken quoting: a quote opened in this row is never closed"
    if "expected after" in text:
        return "broken quoting: text follows the quote that closes a field"
    return f"broken quoting: {text}"


def locate_csv_problem(path: Path, fields: int) -> tuple[int, str] | None:
    """The first row of PATH that is not a CSV row of FIELDS fields, and what is wrong with it.

    Rows are counted as DuckDB counts them (a quoted line break does not start a row); the
    header is row 0.  Slow (Python), so only used once a file has been refused.
    """
    row = 0
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        try:
            for row, values in enumerate(reader):
                problem = _row_problem(values, fields)
                if problem:
                    return row, problem
        except csv.Error as exc:
            return row + 1, _python_csv_reason(exc)
    return None


def _row_problem(values: list[str], fields: int) -> str | None:
    if any(_not_utf8(v) for v in values):
        return "the row is not UTF-8 text"
    if len(values) != fields:
        return (
            f"the row has {len(values)} field{'s' if len(values) != 1 else ''}; the header "
            f"has {fields} (a stray or missing "
            "comma, or a field holding a comma without quotes around it)"
        )
    if sum(len(v) for v in values) + fields - 1 > MAX_ROW_CHARS:
        return f"the row is longer than {MAX_ROW_CHARS:,} characters"
    return None


def _not_utf8(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def _mixed_line_endings(path: Path) -> int | None:
    """The row (header 0) holding the first line that ends unlike the header's first line."""
    physical = None
    with path.open("rb") as fh:
        first = fh.readline()
        crlf = first.endswith(b"\r\n")
        for number, line in enumerate(fh, start=2):
            ends = line.endswith(b"\n")
            if (ends and line.endswith(b"\r\n") != crlf) or b"\r" in line.rstrip(b"\r\n"):
                physical = number
                break
    if physical is None:
        return None
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh)
        try:
            for row, _ in enumerate(reader):
                if reader.line_num >= physical:
                    return row
        except csv.Error:
            return None
    return None


# --- checking values --------------------------------------------------------------------------


def first_bad_row(
    con: duckdb.DuckDBPyConnection, file_name: str, checks: Sequence[Check], table: str
) -> None:
    """Refuse the file at the first row breaking any of CHECKS over TABLE, naming that check.

    Row numbers count data rows from 1 (the header is not a row), taken from the table's rowid,
    which follows file order because the warehouse keeps insertion order.  Inside a transaction
    rowids start at a large offset, hence the subtraction of the smallest.
    """
    if not checks:
        return
    which = " ".join(f"WHEN coalesce({c.bad}, true) THEN {i}" for i, c in enumerate(checks))
    bad = con.execute(
        f"SELECT rowid - (SELECT min(rowid) FROM {table}) + 1 AS n, CASE {which} END AS i "
        f"FROM {table} WHERE i IS NOT NULL ORDER BY rowid LIMIT 1"
    ).fetchone()
    if bad:
        check = checks[int(bad[1])]
        value = con.execute(
            f"SELECT {ident(check.column)}::VARCHAR FROM {table} "
            f"WHERE rowid = (SELECT min(rowid) FROM {table}) + ?",
            [int(bad[0]) - 1],
        ).fetchone()
        shown = _shown(value[0] if value else None)
        raise ImportRejected(
            file_name, f"{check.reason}: {shown}", row=int(bad[0]), column=check.column
        )


def guarded(value: str, checks: Sequence[Check]) -> str:
    """VALUE (an SQL expression) behind CHECKS: the query fails on a row breaking one."""
    if not checks:
        return value
    whens = " ".join(
        f"WHEN coalesce({c.bad}, true) THEN error({literal(c.reason)})" for c in checks
    )
    return f"CASE {whens} ELSE {value} END"


def _shown(value: object, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 5] + "…" + text[-4:]


def duckdb_rejection(file_name: str, exc: duckdb.Error) -> ImportRejected:
    """A refusal for an error DuckDB raised reading a file, with its row if DuckDB gave one."""
    text = str(exc)
    line = re.search(r"[Ll]ine:? ~?(\d+)", text)
    return ImportRejected(
        file_name,
        f"could not be read: {_first_line(text)}",
        row=int(line.group(1)) - 1 if line else None,
    )


def _first_line(text: str) -> str:
    lines = [s for s in text.strip().splitlines() if s.strip()]
    return lines[0] if lines else "unknown error"
