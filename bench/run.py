"""Benchmarks, run on demand: ``uv run python bench/run.py [--rows 6000000]``.

Prints a table of timings and ratios against anchors measured in the same run; asserts nothing.
"""

from __future__ import annotations

import argparse
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

from crimestats.figures import figures
from crimestats.importers import import_paths
from crimestats.periods import window
from crimestats.warehouse import Warehouse


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def duckdb_bare(files: list[Path], out: Path) -> None:
    con = duckdb.connect()
    listing = ", ".join(f"'{f}'" for f in files)
    con.execute(
        f"COPY (SELECT * FROM read_csv([{listing}], header = true)) TO '{out}' (FORMAT parquet)"
    )


def pandas_import(files: list[Path]) -> int:
    """The same import in pandas: read, validate, derive columns, aggregate-ready frame."""
    import pandas as pd

    frames = []
    for f in files:
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        if not df["Month"].str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").all():
            raise ValueError(f"bad month in {f}")
        lon = pd.to_numeric(df["Longitude"].replace("", None), errors="raise")
        lat = pd.to_numeric(df["Latitude"].replace("", None), errors="raise")
        if ((lon.abs() > 180) | (lat.abs() > 90)).any():
            raise ValueError(f"bad coordinate in {f}")
        df["month"] = pd.to_datetime(df["Month"], format="%Y-%m")
        df["Longitude"], df["Latitude"] = lon, lat
        df["borough_name"] = df["LSOA name"].str.replace(r"\s+\d{3}[A-Z]$", "", regex=True)
        frames.append(df)
    whole = pd.concat(frames, ignore_index=True)
    return len(whole)


def gistar_subprocess(which: str, n: int) -> tuple[float, float, float, int]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "gistar_once.py"), which, str(n)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1]), float(out[2]), int(out[3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=6_000_000, help="synthetic street rows")
    parser.add_argument("--units", type=int, default=35_000, help="Gi* units (H3 cells)")
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    parser.add_argument("--skip-pandas", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        t_gen, files = timed(lambda: generate(work / "street", args.rows, args.data))
        rows = args.rows // 12 * 12
        t_bare, _ = timed(lambda: duckdb_bare(files, work / "bare.parquet"))
        wh = Warehouse(work / "wh.duckdb")
        t_ours, results = timed(lambda: import_paths(files, wh, quiet=True))
        assert all(r.status == "imported" for r in results), results
        t_pandas = None if args.skip_pandas else timed(lambda: pandas_import(files))[0]
        # The synthetic year is 2024: compare its second half with its first.
        half = window("2024-07:2024-12")
        cold = figures(wh, "Bexley", half)
        assert cold.measures[0].source == "police_uk", cold.measures[0]
        t_fig, _ = timed(lambda: figures(wh, "Bexley", half))
        wh.close()
    ours = gistar_subprocess("ours", args.units)
    theirs = gistar_subprocess("esda", args.units)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}"
    )
    print(f"synthetic rows: {rows:,} in 12 monthly files (generated in {t_gen:.1f} s)\n")
    print(f"{'step':58} {'seconds':>9} {'ratio':>24}")
    print(f"{'(a) DuckDB bare read_csv -> Parquet (anchor)':58} {t_bare:9.2f}")
    print(
        f"{'(a) crimestats import (validate, provenance, replace)':58} {t_ours:9.2f} "
        f"{t_ours / t_bare:10.2f}x of DuckDB bare"
    )
    if t_pandas is not None:
        print(
            f"{'(b) pandas implementation of the same import':58} {t_pandas:9.2f} "
            f"{t_pandas / t_ours:10.2f}x slower than ours"
        )
    print(f"{'(c) full figures table, Bexley H2 vs H1 2024, warm':58} {t_fig:9.3f}")
    print(
        f"{'(d) Gi* 999 perms, ' + str(ours[3]) + ' H3 units: ours first call (fresh process)':58} "
        f"{ours[0]:9.2f} {theirs[1] / ours[0]:10.2f}x faster than esda warm"
    )
    print(f"{'(d) Gi* ours warm':58} {ours[1]:9.2f}")
    print(
        f"{'(d) esda G_Local first call (fresh process, numba compile)':58} {theirs[0]:9.2f} "
        f"{theirs[0] / ours[0]:10.2f}x ours first"
    )
    print(f"{'(d) esda G_Local warm':58} {theirs[1]:9.2f}")
    print(
        f"\npeak memory (MB): bench process {peak:.0f}, Gi* ours {ours[2]:.0f}, esda {theirs[2]:.0f}"
    )


if __name__ == "__main__":
    main()
