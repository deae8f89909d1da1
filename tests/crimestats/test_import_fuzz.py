"""Property: a malformed variant of a real file is refused with file and row, changing nothing,
or imported with exactly the counts an independent reading of it gives.

Hypothesis breaks a small real slice (the first rows of the MPS borough file and of a City of
London street file) in the ways real files break: fields dropped or repeated, stray commas and
quotes, numbers written as 1.5, 1e3, 0x10, +5 or -1, blank codes, impossible months, bytes cut
off, only the header left.  The expected outcome is worked out here with Python's csv module and
the rules of each format as documented (docs/crime-data.md), never through crimestats: a variant
that reading says is well formed must be imported with its counts; any other must be refused,
naming the file and a row, with every table of the warehouse as it was.

The runs are derandomised (the same examples every time) and kept to a few seconds each.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from crimestats_testdata import CITY, RECENT_2023, fingerprint
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from tests.realdata import skip_module_without_data

from crimestats.importers import import_paths
from crimestats.warehouse import Warehouse

ROWS = 24  # data rows of the real file kept in the slice

#: What malformed files hold where a number, month, code or name should be.
NASTY = [
    "1.5",
    "1e3",
    "0x10",
    "1_000",
    "+5",
    " 5",
    "-1",
    "",
    " ",
    "\t",
    "0000-01",
    "2023-13",
    "2023-1",
    "1_0",
    "NaN",
    "inf",
    "\u0663",  # ARABIC-INDIC DIGIT THREE: Python's int() reads it as 3
    "99999999",
    "007",
    "E0100091",
    "0",
    "42",
]

FUZZ = settings(
    derandomize=True,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _slice(path: Path) -> tuple[list[list[str]], str]:
    raw = path.read_bytes().decode("utf-8-sig")
    ending = "\r\n" if "\r\n" in raw[:2000] else "\n"
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    return rows[: ROWS + 1], ending


pytestmark = pytest.mark.realdata
skip_module_without_data()
MPS_ROWS, MPS_END = _slice(RECENT_2023)
STREET_PATH = CITY / "2023-01-city-of-london-street.csv"
STREET_ROWS, STREET_END = _slice(STREET_PATH)


@st.composite
def variants(draw: st.DrawFn, rows: list[list[str]], ending: str) -> bytes:
    """A real slice with one to three things broken, as the bytes of a file."""
    rows = [list(r) for r in rows]
    width = len(rows[0])
    for _ in range(draw(st.integers(1, 3))):
        r = draw(st.integers(1, len(rows) - 1))
        c = draw(st.integers(0, width - 1))
        kind = draw(
            st.sampled_from(
                ["value"] * 12 + ["drop", "repeat", "row twice"] * 2 + ["header", "no rows"]
            )
        )
        if kind == "value" and c < len(rows[r]):
            rows[r][c] = draw(st.sampled_from(NASTY))
        elif kind == "drop" and c < len(rows[r]):
            del rows[r][c]
        elif kind == "repeat" and c < len(rows[r]):
            rows[r].insert(c, rows[r][c])
        elif kind == "row twice":
            rows.insert(r, list(rows[r]))
        elif kind == "header":
            rows[0][c] = rows[0][draw(st.integers(0, width - 1))]
        elif kind == "no rows":
            rows = rows[:1]
            break
    out = io.StringIO()
    csv.writer(out, lineterminator=ending).writerows(rows)
    text = out.getvalue()
    raw = draw(st.sampled_from(["none", "none", "comma", "quote", "cut"]))
    if raw != "none":
        start = draw(st.sampled_from([0] + [text.index(ending) + len(ending)] * 9))
        at = draw(st.integers(min(start, len(text) - 1), len(text) - 1))  # mostly past the header
        text = (
            text[:at] if raw == "cut" else text[:at] + {"comma": ",", "quote": '"'}[raw] + text[at:]
        )
    return text.encode("utf-8")


# --- the independent reading ---------------------------------------------------------------


def _records(data: bytes, header: list[str]) -> list[list[str]] | None:
    """The data rows, if DATA is UTF-8 CSV with exactly HEADER and rows of its width."""
    try:
        text = data.decode("utf-8")
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except (UnicodeDecodeError, csv.Error):
        return None
    if not rows or rows[0] != header or len(rows) < 2:
        return None
    if any(len(r) != len(header) for r in rows[1:]):
        return None
    return rows[1:]


def _has_text(value: str) -> bool:
    return any(ch.isalnum() for ch in value)


def _whole(value: str) -> bool:
    return re.fullmatch("[0-9]+", value) is not None and len(value.lstrip("0")) <= 7


def _coordinate(value: str, limit: int) -> bool:
    return re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value) is not None and abs(float(value)) <= limit


MPS_BOROUGHS = {r[2] for r in MPS_ROWS[1:]}


def expected_mps(data: bytes) -> Counter[tuple[str, str, str]] | None:
    """(borough, category, month) -> crimes, or None if the file breaks the format."""
    rows = _records(data, MPS_ROWS[0])
    if rows is None:
        return None
    months = MPS_ROWS[0][3:]
    counts: Counter[tuple[str, str, str]] = Counter()
    for major, minor, borough, *cells in rows:
        if not (_has_text(major) and _has_text(minor) and major == major.upper()):
            return None
        if borough not in MPS_BOROUGHS or not all(_whole(c) for c in cells):
            return None
        for month, cell in zip(months, cells, strict=True):
            counts[(borough, f"{major.strip()}/{minor.strip()}", month)] += int(cell)
    return +counts  # zero cells are not stored


def expected_street(data: bytes) -> Counter[tuple[str, str, str]] | None:
    """(force, month, crime type) -> rows, or None if the file breaks the format."""
    rows = _records(data, STREET_ROWS[0])
    if rows is None:
        return None
    counts: Counter[tuple[str, str, str]] = Counter()
    for _, month, force, _, lon, lat, _, code, name, crime_type, _, _ in rows:
        if not re.fullmatch("20[0-9]{2}-(0[1-9]|1[0-2])", month):
            return None
        if not (_has_text(force) and _has_text(crime_type)):
            return None
        if (lon == "") != (lat == "") or (
            lon and not (_coordinate(lon, 180) and _coordinate(lat, 90))
        ):
            return None
        if code == "" and name != "":
            return None
        if code and not (re.fullmatch("[EWSN][0-9]{8}", code.strip()) and _has_text(name)):
            return None
        counts[(force, month, crime_type)] += 1
    return counts


# --- what the warehouse holds ----------------------------------------------------------------


def stored_mps(wh: Warehouse) -> Counter[tuple[str, str, str]]:
    rows = wh.con.execute(
        "SELECT area_name, category, strftime(month, '%Y%m'), count FROM mps_counts "
        "WHERE classification = 'mps_2023' AND level = 'borough'"
    ).fetchall()
    return Counter({(b, c, m): int(n) for b, c, m, n in rows})


def stored_street(wh: Warehouse) -> Counter[tuple[str, str, str]]:
    rows = wh.con.execute(
        "SELECT reported_by, strftime(month, '%Y-%m'), crime_type, count(*) FROM street_crimes "
        "GROUP BY ALL"
    ).fetchall()
    return Counter({(f, m, t): int(n) for f, m, t, n in rows})


def _serialise(rows: list[list[str]], ending: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator=ending).writerows(rows)
    return out.getvalue().encode("utf-8")


ROW_NAMED = re.compile(r"\((header row|row (\d+))")


def check_promise(
    wh: Warehouse,
    path: Path,
    data: bytes,
    expected: Counter[tuple[str, str, str]] | None,
    stored: Callable[[Warehouse], Counter[tuple[str, str, str]]],
    slice_of: Callable[[tuple[str, str, str]], object],
    replaced: set[object],
) -> None:
    """Import DATA as PATH: refused with file and row and nothing changed, or counted exactly.

    An accepted file replaces the slices REPLACED (SLICE_OF a stored key says which slice it
    is in) with EXPECTED, and leaves every other slice as it was.
    """
    path.write_bytes(data)
    before, held = fingerprint(wh), stored(wh)
    [result] = import_paths([path], wh, quiet=True)
    event("refused" if result.status == "rejected" else "imported")
    if result.status == "rejected":
        event(re.sub(r"^.*?\): |: '.*$|\(.*$", "", result.error)[:40])
    if expected is None:
        assert result.status == "rejected", f"accepted a malformed file: {data[:400]!r}"
        assert result.error.startswith(path.name), result.error
        where = ROW_NAMED.search(result.error)
        assert where, f"no row named: {result.error}"
        if where.group(2):
            assert 1 <= int(where.group(2)) <= data.count(b"\n") + 1, result.error
        assert fingerprint(wh) == before, result.error
    else:
        assert result.status == "imported", f"{result.error} for {data[:400]!r}"
        kept = Counter({k: n for k, n in held.items() if slice_of(k) not in replaced})
        assert stored(wh) == kept + expected


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Warehouse, Path]]:
    """A warehouse holding the unbroken slices, so a wrong import would show."""
    tmp = tmp_path_factory.mktemp("fuzz")
    wh = Warehouse(tmp / "w.duckdb")
    mps = tmp / RECENT_2023.name
    mps.write_bytes(_serialise(MPS_ROWS, MPS_END))
    street = tmp / STREET_PATH.name
    street.write_bytes(_serialise(STREET_ROWS, STREET_END))
    results = import_paths([mps, street], wh, quiet=True)
    assert [r.status for r in results] == ["imported", "imported"], results
    yield wh, tmp
    wh.close()


def test_the_independent_reading_accepts_the_real_slices() -> None:
    """The expected counts are worth something: the unbroken slices pass and add up."""
    mps = expected_mps(_serialise(MPS_ROWS, MPS_END))
    street = expected_street(_serialise(STREET_ROWS, STREET_END))
    assert mps is not None and street is not None
    assert sum(street.values()) == ROWS
    assert sum(mps.values()) == sum(int(c) for r in MPS_ROWS[1:] for c in r[3:])


@FUZZ
@given(data=variants(MPS_ROWS, MPS_END))
def test_a_broken_mps_file_is_refused_or_counted_exactly(
    base: tuple[Warehouse, Path], data: bytes
) -> None:
    wh, tmp = base
    months = set(MPS_ROWS[0][3:])
    expected = expected_mps(data)
    check_promise(wh, tmp / RECENT_2023.name, data, expected, stored_mps, lambda k: k[2], months)


@FUZZ
@given(data=variants(STREET_ROWS, STREET_END))
def test_a_broken_street_file_is_refused_or_counted_exactly(
    base: tuple[Warehouse, Path], data: bytes
) -> None:
    wh, tmp = base
    expected = expected_street(data)
    slices = {k[:2] for k in expected or ()}
    check_promise(
        wh, tmp / STREET_PATH.name, data, expected, stored_street, lambda k: k[:2], slices
    )
