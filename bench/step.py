"""One benchmark step in this (fresh) process; prints one JSON line with its own measurements.

``python bench/step.py STEP WORK_DIR [--data DIR] [--rows N] [--months M]`` where STEP is ``generate``,
``anchor``, ``anchor_table``, ``ours``, ``pandas`` or ``figures``.  Wall and CPU seconds cover the work only; peak
memory is this process's own high-water mark (``VmHWM``), read after the work, so nothing is
inherited from the process that started it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

#: Column types given to DuckDB explicitly (no sniffing), the same for the anchor and ours.
STREET = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]


def peak_mb() -> float:
    """This process's resident-set high-water mark in MB (``VmHWM``, not inherited on exec)."""
    try:
        text = Path("/proc/self/status").read_text()
        match = re.search(r"^VmHWM:\s+(\d+) kB", text, re.MULTILINE)
        if match:
            return int(match.group(1)) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU of this process, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(work: Callable[[], object]) -> dict[str, float]:
    """Wall and CPU seconds of ``work``, and the peak memory after it."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    work()
    return {
        "wall": time.perf_counter() - wall,
        "cpu": cpu_seconds() - cpu,
        "peak_mb": peak_mb(),
    }


def street_files(work: Path) -> list[Path]:
    return sorted((work / "street").glob("*.csv"))


def _bare_read(work: Path) -> tuple[object, str, dict[str, list[str]]]:
    """A connection set up as our import runs, and the same read_csv call (types given, no
    sniffing, all files in one scan)."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")  # as our import runs
    # Coordinates as numbers, the rest as text: the least a reader of these files must do (the
    # import itself reads every column as text and checks the coordinates as written).
    types = {c: "DOUBLE" if c in ("Longitude", "Latitude") else "VARCHAR" for c in STREET}
    columns = "{" + ", ".join(f"'{c}': '{t}'" for c, t in types.items()) + "}"
    read = (
        f"SELECT * FROM read_csv($files, header = true, columns = {columns}, "
        "auto_detect = false, quote = '\"', escape = '\"', delim = ',')"
    )
    return con, read, {"files": [str(f) for f in street_files(work)]}


def anchor(work: Path) -> None:
    """DuckDB's bare read_csv -> Parquet: the same files, read options and settings as ours."""
    con, read, params = _bare_read(work)
    con.execute(f"COPY ({read}) TO '{work / 'anchor.parquet'}' (FORMAT parquet)", params)  # type: ignore[attr-defined]


def anchor_table(work: Path) -> None:
    """The same bare read into a table of a DuckDB file: the storage our import writes to."""
    import duckdb

    target = work / "anchor.duckdb"
    target.unlink(missing_ok=True)
    _, read, params = _bare_read(work)
    con = duckdb.connect(str(target))
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"CREATE TABLE street AS {read}", params)
    con.close()


def ours(work: Path) -> None:
    """crimestats' import into a fresh warehouse: validate, derive, provenance, slices."""
    from crimestats.importers import import_paths
    from crimestats.warehouse import Warehouse

    target = work / "wh" / "warehouse.duckdb"
    shutil.rmtree(target.parent, ignore_errors=True)
    with Warehouse(target) as wh:
        results = import_paths(street_files(work), wh, quiet=True)
    bad = [r.error for r in results if r.status != "imported"]
    if bad:
        raise SystemExit(f"import failed: {bad}")


def pandas_import(work: Path) -> None:
    """The same import, written as one would in pandas.

    ``read_csv`` (C parser) with explicit dtypes (repeated text as categories, coordinates as
    floats), the same checks, the same derived columns (month as a date, borough name and code),
    SHA-256 of each file, the London counts by LSOA x crime type x month, and ``to_parquet``
    with pyarrow: one Parquet file per input file plus one for the counts.
    """
    import pandas as pd

    from crimestats.geography import load_geography

    codes = {b.name.lower(): b.code for b in load_geography().boroughs}
    dtypes: dict[str, str] = dict.fromkeys(STREET, "category")
    dtypes.update({"Crime ID": "str", "Longitude": "float64", "Latitude": "float64"})
    out = work / "pandas"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    month_re = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
    counts = []
    for path in street_files(work):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        df = pd.read_csv(path, dtype=dtypes)  # type: ignore[call-overload]
        months = df["Month"].cat.categories
        if df["Month"].isna().any() or not all(month_re.fullmatch(str(m)) for m in months):
            raise ValueError(f"{path.name}: bad month")
        for col, limit in (("Longitude", 180), ("Latitude", 90)):
            if (df[col].abs() > limit).any():
                raise ValueError(f"{path.name}: bad {col}")
        for col in ("Crime type", "Reported by"):
            if df[col].isna().any() or (df[col].cat.categories.str.strip() == "").any():
                raise ValueError(f"{path.name}: blank {col}")
        df["month"] = pd.to_datetime(df["Month"].astype(str), format="%Y-%m")
        # Derived per LSOA name (the categories), then spread to rows by code, as pandas does.
        names = df["LSOA name"].cat.categories
        boroughs = names.str.replace(r"\s+\d{3}[A-Z]$", "", regex=True)
        df["borough_name"] = df["LSOA name"].map(dict(zip(names, boroughs, strict=True)))
        df["borough_code"] = df["LSOA name"].map(
            {n: codes.get(b.lower()) for n, b in zip(names, boroughs, strict=True)}
        )
        df["source_sha256"] = digest
        df.to_parquet(out / f"{path.stem}.parquet", engine="pyarrow", index=False)
        london = df[df["borough_code"].notna()]
        counts.append(
            london.groupby(
                ["Reported by", "month", "LSOA code", "borough_code", "Crime type"],
                observed=True,
            )
            .size()
            .rename("count")
            .reset_index()
        )
    pd.concat(counts, ignore_index=True).to_parquet(
        out / "counts.parquet", engine="pyarrow", index=False
    )


def figures_step(work: Path) -> dict[str, float]:
    """The full figures table for Bexley, H2 against H1 of the synthetic year: cold, then warm."""
    from crimestats.figures import figures
    from crimestats.periods import window
    from crimestats.warehouse import Warehouse

    half = window("2024-07:2024-12")
    with Warehouse(work / "wh" / "warehouse.duckdb", read_only=True) as wh:
        start = time.perf_counter()
        cold = figures(wh, "Bexley", half)
        t_cold = time.perf_counter() - start
        if cold.measures[0].source != "police_uk":
            raise SystemExit(f"figures used {cold.measures[0].source}, not police.uk")
        warm = []
        cpu = cpu_seconds()
        for _ in range(5):
            start = time.perf_counter()
            figures(wh, "Bexley", half)
            warm.append(time.perf_counter() - start)
        cpu = (cpu_seconds() - cpu) / 5
    return {
        "wall": statistics.median(warm),
        "cpu": cpu,
        "cold": t_cold,
        "peak_mb": peak_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "step", choices=("generate", "anchor", "anchor_table", "ours", "pandas", "figures")
    )
    parser.add_argument("work", type=Path)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--rows", type=int, default=6_000_000)
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    if args.step == "generate":
        from generate import generate

        result = measure(
            lambda: generate(args.work / "street", args.rows, args.data, months=args.months)
        )
    elif args.step == "figures":
        result = figures_step(args.work)
    else:
        work = {
            "anchor": anchor,
            "anchor_table": anchor_table,
            "ours": ours,
            "pandas": pandas_import,
        }[args.step]
        result = measure(lambda: work(args.work))
    print(json.dumps({"step": args.step, **result}))


if __name__ == "__main__":
    main()
