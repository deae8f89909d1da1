"""MPS London Datastore wide files: one row per area x category, one column per month YYYYMM."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from crimestats.geography import NON_BOROUGH_AREAS, load_geography
from crimestats.importers.base import Detected
from crimestats.importers.validation import (
    Check,
    ImportRejected,
    first_bad_row,
    ident,
    is_blank,
    is_year_month,
    load_csv,
    not_gss_code,
    not_whole_number,
    read_header,
    too_large,
)

MONTH_COLUMN = re.compile(r"^\d{6}$")

# (level, {role: header name}) for each known layout; the roles are what the importer needs.
LAYOUTS: list[tuple[str, dict[str, str]]] = [
    (
        "lsoa",
        {
            "code": "LSOA Code",
            "name": "LSOA Name",
            "borough": "Borough",
            "major": "Major Category",
            "minor": "Minor Category",
        },
    ),
    (
        "ward",
        {
            "code": "WardCode",
            "name": "WardName",
            "borough": "LookUp_BoroughName",
            "major": "MajorText",
            "minor": "MinorText",
        },
    ),
    ("borough", {"name": "BoroughName", "major": "MajorText", "minor": "MinorText"}),
    ("borough", {"name": "LookUp_BoroughName", "major": "MajorText", "minor": "MinorText"}),
]

CLASSIFICATION_LABEL = {
    "mps_2023": "2023 classification (upper-case categories)",
    "mps_pre2023": "pre-2023 classification (Title Case categories)",
}


def classify_text(major: str) -> str:
    """The MPS classification a major category name belongs to, from its case.

    >>> classify_text("VIOLENCE AGAINST THE PERSON"), classify_text("Violence Against the Person")
    ('mps_2023', 'mps_pre2023')
    """
    return "mps_2023" if major == major.upper() else "mps_pre2023"


def detect(header: list[str], sample: list[list[str]], file_name: str = "") -> Detected | None:
    """Recognise a wide file from its header and first data rows.

    A header with month columns (six digits) is taken as an MPS wide file: if it does not match
    a known layout exactly, it is refused saying which columns are missing or unexpected.
    """
    months = [h for h in header if MONTH_COLUMN.match(h)]
    if not months:
        return None
    for month in months:
        if not is_year_month(month):
            raise ImportRejected(
                file_name,
                "not a month: a month column is named YYYYMM, with a year from 2000 to 2099",
                row=0,
                column=month,
            )
    for level, roles in LAYOUTS:
        if set(roles.values()) <= set(header) and set(header) - set(roles.values()) == set(months):
            major_at = header.index(roles["major"])
            majors = [r[major_at] for r in sample if len(r) > major_at and r[major_at]]
            classification = classify_text(majors[0]) if majors else "mps_2023"
            return Detected(
                format_id=f"mps_{level}_{classification}",
                description=f"MPS {level}-level wide file, {CLASSIFICATION_LABEL[classification]}, "
                f"{months[0]}-{months[-1]}",
                dataset="mps_wide",
                classification=classification,
                level=level,
                vintage=max(months),
                details=roles,
            )
    others = [h for h in header if h not in months]
    level, roles = min(
        LAYOUTS, key=lambda lr: len(set(lr[1].values()) ^ set(others))
    )  # the nearest layout
    missing = [c for c in roles.values() if c not in others]
    unexpected = [c for c in others if c not in roles.values()]
    raise ImportRejected(
        file_name,
        f"the header has month columns but is not an MPS {level}-level wide file"
        + (f": missing {_names(missing)}" if missing else "")
        + (f"{'; ' if missing else ': '}unexpected {_names(unexpected)}" if unexpected else ""),
        row=0,
    )


def _names(columns: list[str]) -> str:
    return ", ".join(repr(c) for c in columns)


def stage(con: duckdb.DuckDBPyConnection, path: Path, file_name: str, detected: Detected) -> None:
    """Read, validate and reshape the file into ``stage_facts`` and ``stage_slices``."""
    roles = detected.details
    header, _ = read_header(path, file_name, rows=0)
    rows = load_csv(con, path, file_name, header)
    months = [h for h in header if MONTH_COLUMN.match(h)]
    major, minor, name = ident(roles["major"]), ident(roles["minor"]), ident(roles["name"])
    upper = detected.classification == "mps_2023"
    case_rule = (
        f"{major} != upper({major})"
        if upper
        else f"{major} = upper({major}) AND {major} ~ '.*[A-Z].*'"
    )
    checks = [
        Check(roles["major"], is_blank(roles["major"]), "empty major category"),
        Check(roles["minor"], is_blank(roles["minor"]), "empty minor category"),
        Check(roles["name"], is_blank(roles["name"]), "empty area name"),
        Check(
            roles["major"],
            case_rule,
            f"category not in the {CLASSIFICATION_LABEL[detected.classification]} seen in the first rows",
        ),
    ]
    if "code" in roles:
        checks.append(Check(roles["code"], not_gss_code(roles["code"]), "not a GSS code"))
    for m in months:
        checks.append(Check(m, not_whole_number(m), "not a whole number of crimes"))
        checks.append(Check(m, too_large(m), "more crimes than one cell can hold (9,999,999)"))
    first_bad_row(con, file_name, checks, "raw")

    _register_borough_names(con)
    if detected.level == "lsoa":
        borough_expr = f"trim({ident(roles['borough'])})"
        code_expr, name_expr = f"trim({ident(roles['code'])})", f"trim({name})"
    else:
        borough_col = roles.get("borough", roles["name"])
        bad = con.execute(
            f"SELECT raw.rowid - (SELECT min(rowid) FROM raw) + 1, {ident(borough_col)} FROM raw "
            f"LEFT JOIN borough_names n ON lower(trim({ident(borough_col)})) = n.key "
            "WHERE n.code IS NULL ORDER BY raw.rowid LIMIT 1"
        ).fetchone()
        if bad:
            raise ImportRejected(
                file_name, f"unknown borough: {bad[1]!r}", row=int(bad[0]), column=borough_col
            )
        borough_expr = (
            f"(SELECT code FROM borough_names WHERE key = lower(trim({ident(borough_col)})))"
        )
        if detected.level == "ward":
            code_expr, name_expr = f"trim({ident(roles['code'])})", f"trim({name})"
        else:
            code_expr, name_expr = borough_expr, f"trim({name})"

    month_list = ", ".join(ident(m) for m in months)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE stage_facts AS
        SELECT ? AS classification, ? AS level, 'MPS' AS scope,
               strptime(ym, '%Y%m')::DATE AS month,
               area_code, any_value(area_name) AS area_name, any_value(borough_code) AS borough_code,
               category, sum(cnt::INTEGER)::INTEGER AS count
        FROM (
            SELECT {code_expr} AS area_code, {name_expr} AS area_name,
                   {borough_expr} AS borough_code,
                   trim({major}) || '/' || trim({minor}) AS category,
                   {month_list}
            FROM raw
        ) UNPIVOT (cnt FOR ym IN ({month_list}))
        WHERE cnt::INTEGER > 0
        GROUP BY ALL
        """,
        [detected.classification, detected.level],
    )
    # Every data row gives every month column a value (checked above): each month is backed by
    # all the rows, even where they all say zero.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stage_slices (classification VARCHAR, level VARCHAR, "
        "scope VARCHAR, month DATE, rows BIGINT)"
    )
    con.executemany(
        "INSERT INTO stage_slices VALUES (?, ?, 'MPS', strptime(?, '%Y%m')::DATE, ?)",
        [(detected.classification, detected.level, m, rows) for m in months],
    )


def _register_borough_names(con: duckdb.DuckDBPyConnection) -> None:
    geo = load_geography()
    names = [(b.name.lower(), b.code) for b in geo.boroughs] + list(NON_BOROUGH_AREAS.items())
    con.execute("CREATE OR REPLACE TEMP TABLE borough_names (key VARCHAR, code VARCHAR)")
    con.executemany("INSERT INTO borough_names VALUES (?, ?)", names)
