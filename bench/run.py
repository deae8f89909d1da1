"""Benchmarks, run on demand: ``uv run python bench/run.py [--rows 6000000] [--units 35000]``.

Every step runs in its own fresh process (``bench/step.py``, ``bench/gistar_once.py``) and
reports its own wall time, CPU time (user + system, all threads) and peak memory (``VmHWM``),
so nothing is inherited from this process.  The import steps run ``--repeat`` times,
interleaved (anchor, ours, anchor, ours, ...), and the fastest wall time of each is kept: the
machine may be shared, and CPU seconds are shown beside wall seconds so contention is visible.
Prints a table with ratios measured in this run; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from csphub.settings import SHARED_DATA_DIR

HERE = Path(__file__).parent


def run_step(*args: str) -> dict[str, float]:
    """Run one step in a fresh interpreter; its last stdout line is a JSON object."""
    out = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=False, env=os.environ
    )
    if out.returncode != 0:
        raise SystemExit(f"step {args} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run with the lowest wall time, with the peak memory of the largest run."""
    chosen = dict(min(runs, key=lambda r: r["wall"]))
    chosen["peak_mb"] = max(r["peak_mb"] for r in runs)
    chosen["walls"] = [round(r["wall"], 2) for r in runs]  # type: ignore[assignment]
    return chosen


def machine() -> str:
    import duckdb

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.system()} {platform.release()} {platform.machine()}, {cpu}, "
        f"{os.cpu_count()} cores{mem}; Python {platform.python_version()}, DuckDB {duckdb.__version__}"
    )


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=6_000_000, help="synthetic street rows")
    parser.add_argument(
        "--months", type=int, default=12, help="monthly street files (36: a 3-year archive)"
    )
    parser.add_argument("--units", type=int, default=35_000, help="Gi* units (H3 cells)")
    parser.add_argument(
        "--data",
        type=Path,
        default=SHARED_DATA_DIR,
        help="the real open data folder (default: settings.SHARED_DATA_DIR, CSPHUB_SHARED_DATA)",
    )
    parser.add_argument("--repeat", type=int, default=2, help="runs of each import step")
    parser.add_argument("--work", type=Path, help="keep generated files here (reused if present)")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--skip-gistar", action="store_true")
    parser.add_argument("--skip-page", action="store_true", help="skip the figures page timing")
    parser.add_argument("--save", type=Path, help="also write the printed report to this file")
    args = parser.parse_args()

    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        step = [str(HERE / "step.py")]
        rows = args.rows // args.months * args.months
        existing = sorted((work / "street").glob("*.csv"))
        marker = work / "street" / "rows.txt"
        shape = str(rows) if args.months == 12 else f"{rows} {args.months}"
        if existing and marker.exists() and marker.read_text().strip() == shape:
            gen = None
        else:
            for old in existing:
                old.unlink()
            gen = run_step(
                *step,
                "generate",
                str(work),
                "--rows",
                str(rows),
                "--months",
                str(args.months),
                "--data",
                str(args.data),
            )
            marker.write_text(shape)
        files = sorted((work / "street").glob("*.csv"))
        size_mb = sum(f.stat().st_size for f in files) / 1e6
        say(f"machine: {machine()}")
        say(f"load average before the run: {load()}")
        say(
            f"synthetic rows: {rows:,} in {len(files)} monthly files, {size_mb:,.0f} MB"
            + (f" (generated in {gen['wall']:.1f} s)" if gen else " (reused)")
        )
        anchors, tables, ours = [], [], []
        for _ in range(args.repeat):
            anchors.append(run_step(*step, "anchor", str(work)))
            tables.append(run_step(*step, "anchor_table", str(work)))
            ours.append(run_step(*step, "ours", str(work)))
        a, t, o = best(anchors), best(tables), best(ours)
        p = None if args.skip_pandas else run_step(*step, "pandas", str(work))
        f = run_step(*step, "figures", str(work))
        say(f"load average after the imports: {load()}")
        g_ours = g_esda = None
        if not args.skip_gistar:
            g_ours = run_step(str(HERE / "gistar_once.py"), "ours", str(args.units))
            g_esda = run_step(str(HERE / "gistar_once.py"), "esda", str(args.units))
        page = None
        if not args.skip_page:
            page = run_step(str(HERE / "first_page.py"), str(work / "page-data"), str(args.data))

    say()
    say(f"{'step':60} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}  ratio")
    row = "{:60} {:8.2f} {:8.2f} {:8.0f}  {}"
    say(
        row.format(
            "(a) DuckDB bare read_csv -> Parquet (anchor)",
            a["wall"],
            a["cpu"],
            a["peak_mb"],
            f"runs {a['walls']}",
        )
    )
    say(
        row.format(
            "(a') the same bare read_csv -> table in a DuckDB file",
            t["wall"],
            t["cpu"],
            t["peak_mb"],
            f"{t['wall'] / a['wall']:.2f}x anchor wall, {t['cpu'] / a['cpu']:.2f}x CPU; runs {t['walls']}",
        )
    )
    say(
        row.format(
            "(a) crimestats import (validate, derive, counts, provenance)",
            o["wall"],
            o["cpu"],
            o["peak_mb"],
            f"{o['wall'] / a['wall']:.2f}x anchor wall, {o['cpu'] / a['cpu']:.2f}x CPU "
            f"({o['wall'] / t['wall']:.2f}x / {o['cpu'] / t['cpu']:.2f}x of (a')); runs {o['walls']}",
        )
    )
    say(f"{'    rows per second, end to end (best run)':60} {rows / o['wall']:17,.0f}")
    if p:
        say(
            row.format(
                "(b) pandas implementation of the same import",
                p["wall"],
                p["cpu"],
                p["peak_mb"],
                f"{p['wall'] / o['wall']:.2f}x ours wall, {p['cpu'] / o['cpu']:.2f}x CPU",
            )
        )
    say(
        row.format(
            "(c) full figures table, Bexley H2 vs H1 2024, warm (median 5)",
            f["wall"],
            f["cpu"],
            f["peak_mb"],
            f"cold {f['cold']:.3f} s",
        )
    )
    if g_ours and g_esda:
        n = int(g_ours["units"])
        say(
            row.format(
                f"(d) Gi* 999 perms, {n:,} H3 units: ours first call (fresh)",
                g_ours["first"],
                g_ours["cpu_first"],
                g_ours["peak_mb"],
                f"{g_esda['warm'] / g_ours['first']:.2f}x faster than esda warm",
            )
        )
        say(
            row.format(
                "(d) Gi* ours warm", g_ours["warm"], g_ours["cpu_warm"], g_ours["peak_mb"], ""
            )
        )
        say(
            row.format(
                "(d) esda G_Local first call (fresh, numba compile)",
                g_esda["first"],
                g_esda["cpu_first"],
                g_esda["peak_mb"],
                f"{g_esda['first'] / g_ours['first']:.2f}x ours first",
            )
        )
        say(
            row.format(
                "(d) esda G_Local warm", g_esda["warm"], g_esda["cpu_warm"], g_esda["peak_mb"], ""
            )
        )
    if page:
        say(
            f"{'(e) figures page, first request after start-up (fresh process)':60} "
            f"{page['first']:8.2f}   target under 0.5 s"
        )
        say(
            f"{'(e) figures page, the same request warm':60} {page['warm']:8.2f}   target under 0.1 s"
        )
    say()
    say("peak MB: each step's own process high-water mark (VmHWM), read after its work.")
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
