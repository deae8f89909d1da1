"""MPS London Datastore wide files: one row per area x category, one column per month YYYYMM."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from crimestats.geography import NON_BOROUGH_AREAS, load_geography
from crimestats.importers.base import Detected, ImportRejected, first_bad_row

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


def detect(header: list[str], sample: list[list[str]]) -> Detected | None:
    """Recognise a wide file from its header and first data rows."""
    months = [h for h in header if MONTH_COLUMN.match(h)]
    if not months:
        return None
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
                vintage=months[-1],
                details=roles,
            )
    return None


def stage(con: duckdb.DuckDBPyConnection, path: Path, file_name: str, detected: Detected) -> None:
    """Read, validate and reshape the file into ``stage_facts`` and ``stage_slices``."""
    roles = detected.details
    con.execute(
        "CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM read_csv(?, header = true, "
        "all_varchar = true, auto_detect = true)",
        [str(path)],
    )
    header = [r[0] for r in con.execute("SELECT column_name FROM (DESCRIBE raw)").fetchall()]
    months = [h for h in header if MONTH_COLUMN.match(h)]
    upper = detected.classification == "mps_2023"
    case_rule = (
        f'"{roles["major"]}" != upper("{roles["major"]}")'
        if upper
        else f'"{roles["major"]}" = upper("{roles["major"]}") AND "{roles["major"]}" ~ \'.*[A-Z].*\''
    )
    checks = [
        (roles["major"], f"coalesce(trim(\"{roles['major']}\"), '') = ''", "empty major category"),
        (roles["minor"], f"coalesce(trim(\"{roles['minor']}\"), '') = ''", "empty minor category"),
        (roles["name"], f"coalesce(trim(\"{roles['name']}\"), '') = ''", "empty area name"),
        (
            roles["major"],
            case_rule,
            f"category not in the {CLASSIFICATION_LABEL[detected.classification]} seen in the first rows",
        ),
    ]
    if "code" in roles:
        checks.append(
            (
                roles["code"],
                f"NOT regexp_full_match(trim(\"{roles['code']}\"), '[EW]\\d{{8}}')",
                "not a GSS code",
            )
        )
    for m in months:
        checks.append(
            (
                m,
                f'"{m}" IS NULL OR try_cast(trim("{m}") AS INTEGER) IS NULL '
                f'OR try_cast(trim("{m}") AS INTEGER) < 0',
                "not a whole number of crimes",
            )
        )
    first_bad_row(con, file_name, checks, "raw")

    _register_borough_names(con)
    if detected.level == "lsoa":
        borough_expr = f'trim("{roles["borough"]}")'
        code_expr, name_expr = f'trim("{roles["code"]}")', f'trim("{roles["name"]}")'
    else:
        borough_col = roles.get("borough", roles["name"])
        bad = con.execute(
            f'SELECT raw.rowid - (SELECT min(rowid) FROM raw) + 1, "{borough_col}" FROM raw LEFT JOIN borough_names n '
            f'ON lower(trim("{borough_col}")) = n.key WHERE n.code IS NULL ORDER BY raw.rowid LIMIT 1'
        ).fetchone()
        if bad:
            raise ImportRejected(
                file_name, f"unknown borough: {bad[1]!r}", row=int(bad[0]), column=borough_col
            )
        borough_expr = f'(SELECT code FROM borough_names WHERE key = lower(trim("{borough_col}")))'
        if detected.level == "ward":
            code_expr, name_expr = f'trim("{roles["code"]}")', f'trim("{roles["name"]}")'
        else:
            code_expr, name_expr = borough_expr, f'trim("{roles["name"]}")'

    month_list = ", ".join(f'"{m}"' for m in months)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE stage_facts AS
        SELECT ? AS classification, ? AS level, 'MPS' AS scope,
               strptime(ym, '%Y%m')::DATE AS month,
               area_code, any_value(area_name) AS area_name, any_value(borough_code) AS borough_code,
               category, sum(trim(cnt)::INTEGER)::INTEGER AS count
        FROM (
            SELECT {code_expr} AS area_code, {name_expr} AS area_name,
                   {borough_expr} AS borough_code,
                   trim("{roles["major"]}") || '/' || trim("{roles["minor"]}") AS category,
                   {month_list}
            FROM raw
        ) UNPIVOT (cnt FOR ym IN ({month_list}))
        WHERE trim(cnt)::INTEGER > 0
        GROUP BY ALL
        """,
        [detected.classification, detected.level],
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stage_slices (classification VARCHAR, level VARCHAR, "
        "scope VARCHAR, month DATE)"
    )
    con.executemany(
        "INSERT INTO stage_slices VALUES (?, ?, 'MPS', strptime(?, '%Y%m')::DATE)",
        [(detected.classification, detected.level, m) for m in months],
    )


def _register_borough_names(con: duckdb.DuckDBPyConnection) -> None:
    geo = load_geography()
    names = [(b.name.lower(), b.code) for b in geo.boroughs] + list(NON_BOROUGH_AREAS.items())
    con.execute("CREATE OR REPLACE TEMP TABLE borough_names (key VARCHAR, code VARCHAR)")
    con.executemany("INSERT INTO borough_names VALUES (?, ?)", names)
