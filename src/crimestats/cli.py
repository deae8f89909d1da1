"""Command line: ``python -m crimestats import|download|figures|hotspots|sources`` (also
``csphub crime``)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import urllib.error
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from crimestats.caveats import no_caveat_sentence
from crimestats.config import warehouse_path
from crimestats.disclosure import DEFAULT_THRESHOLD, Output, Source, threshold_for
from crimestats.download import (
    API_URL,
    ARCHIVE_URL,
    KINDS,
    Client,
    DownloadPlan,
    months_between,
    parse_poly,
)
from crimestats.figures import FiguresReport, figures
from crimestats.importers import import_paths
from crimestats.locks import WarehouseLocked, scratch, scratch_root
from crimestats.numbers import shown
from crimestats.periods import Period, calendar_year, financial_year, window
from crimestats.tables import figures_table
from crimestats.warehouse import Warehouse, WarehouseDamaged

FORMATS = ("table", "csv", "json")
#: How long ``download`` waits for another import to finish before importing a batch.
DOWNLOAD_LOCK_WAIT = 1800.0


def build_parser(prog: str = "crimestats") -> argparse.ArgumentParser:
    """The argument parser, shared with ``csphub crime`` (which passes its own PROG)."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    parser.add_argument(
        "--data-dir", type=Path, help="warehouse folder (default $CSPHUB_DATA_DIR or ./var)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    imp = sub.add_parser(
        "import",
        help="import files, folders or zips (format auto-detected)",
        description="Import files, folders or zips (format auto-detected). Readers (figures, "
        "sources, the web pages) go on answering from the data as it was until the import "
        "ends; while another import runs, this one is refused (exit 2).",
    )
    imp.add_argument("paths", nargs="+", type=Path)
    imp.add_argument("-q", "--quiet", action="store_true", help="no progress bar or report")

    dl = sub.add_parser(
        "download",
        help="fetch a force's months from data.police.uk (archive or API) and import them",
        description="Download one force's street-level files for a run of months from the "
        "data.police.uk monthly archive (default) or the API, at most 15 requests a second "
        "(bursts of 30; HTTP 429 and 5xx retried 5 times, after Retry-After but never more "
        "than 120 s), importing each batch as it arrives. A download that takes longer than "
        "--deadline is abandoned, and a body cut short or an archive that is not a whole zip "
        "is refused before anything is imported. Each batch is imported as it arrives, "
        "waiting up to 30 min for another import to finish. Example: "
        "crimestats download --force metropolitan --from 2023-01 --to 2023-12",
    )
    dl.add_argument("--force", required=True, help="police.uk force id, e.g. metropolitan")
    dl.add_argument("--from", dest="month_from", required=True, help="first month, YYYY-MM")
    dl.add_argument("--to", dest="month_to", required=True, help="last month, YYYY-MM")
    how = dl.add_mutually_exclusive_group()
    how.add_argument(
        "--archive",
        nargs="?",
        const=ARCHIVE_URL,
        metavar="URL",
        help=f"use the monthly archive (the default), optionally from URL (default {ARCHIVE_URL})",
    )
    how.add_argument(
        "--api",
        nargs="?",
        const=API_URL,
        metavar="URL",
        help=f"use the API instead, optionally at URL (default {API_URL}); needs --poly",
    )
    dl.add_argument("--poly", help="API only: the area as lat,lng:lat,lng:... (3+ points)")
    dl.add_argument(
        "--kind",
        action="append",
        choices=KINDS,
        help="archive files to take (repeat; default street)",
    )
    dl.add_argument("--save", type=Path, help="keep the downloaded CSVs in this folder")
    dl.add_argument(
        "--no-import", action="store_true", help="only save (needs --save); do not import"
    )
    dl.add_argument(
        "--deadline",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="give up on a file not downloaded within this time (default 3600)",
    )
    dl.add_argument("-q", "--quiet", action="store_true", help="no progress or report")

    fig = sub.add_parser("figures", help="a measure table for an area, its BCU and London")
    _add_area_and_period(fig)
    fig.add_argument("--vs", help="compare with this year (or YYYY-YY financial year)")
    fig.add_argument("--measure", action="append", help="measure id (repeat; default all)")
    fig.add_argument(
        "--threshold",
        type=int,
        default=None,
        help="suppress counts below this (default 0: police open data for a borough, BCU and "
        "London is shown as the police publish it; see docs/crime-data.md)",
    )
    fig.add_argument("--harm", action="store_true", help="add harm-weighted totals")
    fig.add_argument("--format", choices=FORMATS, default="table")

    hot = sub.add_parser("hotspots", help="rank LSOAs/wards and find Gi* hot spots")
    _add_area_and_period(hot)
    hot.add_argument("--measure", default="serious_violence")
    hot.add_argument("--level", choices=("auto", "lsoa", "ward", "h3"), default="auto")
    hot.add_argument("--permutations", type=int, default=999)
    hot.add_argument("--top", type=int, default=20)
    hot.add_argument("--seed", type=int, default=12345)
    hot.add_argument(
        "--threshold",
        type=int,
        default=None,
        help="the small-area threshold for --for-publication (default $CSPHUB_SMALL_AREA_THRESHOLD "
        f"or {DEFAULT_THRESHOLD})",
    )
    hot.add_argument(
        "--for-publication",
        action="store_true",
        help=f"suppress small-area counts below {DEFAULT_THRESHOLD}, as an export marked for "
        "publication does (default: shown as published, for the partnership's own use)",
    )
    hot.add_argument("--format", choices=FORMATS, default="table")

    src = sub.add_parser("sources", help="what has been imported, with provenance")
    src.add_argument("--format", choices=FORMATS, default="table")
    return parser


def _add_area_and_period(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--area", required=True, help="borough name or GSS code, e.g. Bexley or E09000004"
    )
    period = p.add_mutually_exclusive_group(required=True)
    period.add_argument("--year", type=int, help="calendar year")
    period.add_argument("--fy", help="financial year, e.g. 2023-24")
    period.add_argument("--window", help="months YYYY-MM:YYYY-MM, e.g. 2022-10:2023-09")


def period_from(args: argparse.Namespace) -> Period:
    """The current period from --year, --fy or --window."""
    if args.year:
        return calendar_year(args.year)
    if args.fy:
        return financial_year(args.fy)
    return window(args.window)


def _comparison(current: Period, vs: str | None) -> Period | None:
    if not vs:
        return None
    if "-" in vs:
        return financial_year(vs) if len(vs) == 7 and vs[4] == "-" and ":" not in vs else window(vs)
    year = int(vs)
    return current.shifted((year - current.start.year) * 12, str(year))


def main(
    argv: Sequence[str] | None = None, *, prog: str = "crimestats", client: Client | None = None
) -> int:
    """Run the command line; returns the exit status. CLIENT replaces the download client
    (tests give one that does not sleep)."""
    args = build_parser(prog).parse_args(list(argv) if argv is not None else None)
    out = Console(file=sys.stdout, soft_wrap=True, width=None if sys.stdout.isatty() else 220)
    if args.command == "download":
        return _download(args, client)
    try:
        with Warehouse(_warehouse_file(args.data_dir), read_only=args.command != "import") as wh:
            if args.command == "import":
                results = import_paths(args.paths, wh, quiet=args.quiet)
                return 1 if any(r.status == "rejected" for r in results) else 0
            if args.command == "figures":
                current = period_from(args)
                report = figures(
                    wh,
                    args.area,
                    current,
                    _comparison(current, args.vs),
                    measures=args.measure,
                    threshold=(
                        threshold_for(Source.POLICE_OPEN_DATA, Output.PUBLICATION)
                        if args.threshold is None
                        else args.threshold
                    ),
                )
                _print_figures(out, report, args.format, harm=args.harm)
                return 0
            if args.command == "hotspots":
                from crimestats.hotspots import hotspots, print_hotspots

                result = hotspots(
                    wh,
                    args.area,
                    args.measure,
                    period_from(args),
                    level=args.level,
                    permutations=args.permutations,
                    seed=args.seed,
                    threshold=threshold_for(
                        Source.POLICE_OPEN_DATA,
                        Output.PUBLICATION if args.for_publication else Output.INTERNAL,
                        small_area=True,
                        small_area_threshold=_small_area_threshold(args.threshold),
                    ),
                )
                print_hotspots(out, result, args.format, top=args.top)
                return 0
            _print_sources(out, wh, args.format)
            return 0
    except (LookupError, ValueError, FileNotFoundError, WarehouseDamaged, WarehouseLocked) as exc:
        print(f"crimestats: {exc}", file=sys.stderr)
        return 2
    except duckdb.IOException as exc:  # another program holds the file for writing
        print(f"crimestats: the warehouse cannot be read: {exc}", file=sys.stderr)
        return 2


def _download(args: argparse.Namespace, client: Client | None = None) -> int:
    """``download``: fetch, then import each batch as it lands (or only save it)."""
    err = Console(stderr=True)
    if args.no_import and not args.save:
        print("crimestats: --no-import needs --save FOLDER", file=sys.stderr)
        return 2
    try:
        plan = DownloadPlan(
            force=args.force.strip().lower(),
            months=months_between(args.month_from, args.month_to),
            source="api" if args.api else "archive",
            archive_url=args.archive or ARCHIVE_URL,
            api_url=args.api or API_URL,
            poly=parse_poly(args.poly) if args.poly else None,
            kinds=tuple(args.kind or ("street",)),
        )
        if plan.source == "api" and not plan.poly:
            raise ValueError("--api needs --poly: the API serves crimes inside an area")
    except ValueError as exc:
        print(f"crimestats: {exc}", file=sys.stderr)
        return 2
    client = client or Client(
        deadline=args.deadline,
        notify=lambda message: print(f"crimestats: {message}", file=sys.stderr),
    )
    database = _warehouse_file(args.data_dir) or warehouse_path()
    rejected = fetched = 0
    # Archives, and CSVs not kept, go in a folder of the warehouse's own that the next open
    # sweeps if this process is killed; with --no-import nothing is written there.
    with (
        scratch(scratch_root(database), "download")
        if not args.no_import
        else nullcontext(None) as tmp
    ):
        dest = args.save or tmp
        assert dest is not None  # --no-import needs --save (checked above)
        try:
            for batch in plan.fetch(dest, client, archives=tmp / "archives" if tmp else None):
                fetched += len(batch)
                if not args.quiet:
                    err.print(f"downloaded {len(batch)} file(s) for {plan.force}")
                if not args.no_import and batch:
                    # Each batch is one import, published when done: the lock is held while
                    # importing, never while downloading.
                    with _open_for_import(database) as wh:
                        results = import_paths(batch, wh, quiet=args.quiet)
                    rejected += sum(r.status == "rejected" for r in results)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            print(f"crimestats: download failed: {exc}", file=sys.stderr)
            return 2
        except (WarehouseLocked, WarehouseDamaged) as exc:
            print(f"crimestats: {exc}", file=sys.stderr)
            return 2
    if not args.quiet:
        err.print(
            f"{fetched} file(s) for {plan.force}, {plan.months[0]} to {plan.months[-1]}"
            + (f", saved in {args.save}" if args.save else "")
        )
    if fetched == 0:
        print(
            f"crimestats: no files for {plan.force} in {plan.months[0]} to {plan.months[-1]}",
            file=sys.stderr,
        )
        return 1
    return 1 if rejected else 0


def _open_for_import(database: Path) -> Warehouse:
    """The warehouse opened for writing, waiting (and saying so) for another import to end."""
    try:
        return Warehouse(database)
    except WarehouseLocked as exc:
        print(
            f"crimestats: waiting up to {DOWNLOAD_LOCK_WAIT / 60:.0f} min for another import "
            f"to finish ({exc.holder})",
            file=sys.stderr,
        )
        return Warehouse(database, wait=DOWNLOAD_LOCK_WAIT)


def _warehouse_file(data_dir: Path | None) -> Path | None:
    return warehouse_path(data_dir) if data_dir else None


def _print_figures(out: Console, report: FiguresReport, fmt: str, *, harm: bool) -> None:
    if fmt == "json":
        out.print_json(json.dumps(report.to_json(harm=harm)), highlight=False)
        return
    # The one table builder (crimestats.tables), as the web app's download uses.
    header, rows = figures_table(report, harm=harm)
    if fmt == "csv":
        _emit(out, header, [[_show_raw(v) for v in row] for row in rows], fmt, title="")
        return
    # A terminal is narrow: the columns a reader compares, with thousands separators.
    wanted = [
        "measure_id",
        "level",
        "area",
        "previous",
        "current",
        "change_pct",
        "p_value",
        "verdict",
        "baseline",
        "change_vs_baseline_pct",
    ] + (["harm_previous_approx", "harm_current_approx", "harm_change_pct"] if harm else [])
    at = [header.index(c) for c in wanted]
    titles = dict(
        zip(
            wanted,
            [
                "measure",
                "level",
                "area",
                report.previous.label,
                report.current.label,
                "change %",
                "p",
                "verdict",
                report.baseline.label,
                "vs 2019 %",
                "harm prev (approx.)",
                "harm now (approx.)",
                "harm change %",
            ],
            strict=False,
        )
    )
    _emit(
        out,
        [titles[c] for c in wanted],
        [[_show(row[i]) for i in at] for row in rows],
        fmt,
        title=f"{report.area.name}: {report.current.label} against {report.previous.label}",
    )
    for c in report.caveats:
        out.print(f"Caveat ({c.title}): {c.text}")
    if not report.caveats:
        out.print(no_caveat_sentence(report.current, report.previous))
    for c in report.baseline_caveats:
        out.print(f"Caveat against {report.baseline.label} ({c.title}): {c.text}")
    for m in report.measures:
        if m.partial_note:
            out.print(f"{m.label}: {m.partial_note}")


def _print_sources(out: Console, wh: Warehouse, fmt: str) -> None:
    rows = wh.con.execute(
        "SELECT id, file_name, format, rows, strftime(month_from, '%Y-%m'), "
        "strftime(month_to, '%Y-%m'), sha256, strftime(imported_at, '%Y-%m-%d %H:%M:%S%z') "
        "FROM sources ORDER BY id"
    ).fetchall()
    header = ["id", "file", "format", "rows", "from", "to", "sha256", "imported"]
    if fmt == "json":
        out.print_json(
            json.dumps([dict(zip(header, r, strict=True)) for r in rows]), highlight=False
        )
        return
    show = _show_raw if fmt == "csv" else _show
    _emit(out, header, [[show(v) for v in r] for r in rows], fmt, title="Imported sources")


def _small_area_threshold(given: int | None) -> int:
    """--threshold, else $CSPHUB_SMALL_AREA_THRESHOLD (the web app's setting), else the default."""
    if given is not None:
        return given
    text = os.environ.get("CSPHUB_SMALL_AREA_THRESHOLD", "").strip()
    if not text:
        return DEFAULT_THRESHOLD
    try:
        return int(text)
    except ValueError:
        raise ValueError(
            f"CSPHUB_SMALL_AREA_THRESHOLD must be a whole number, not {text!r}"
        ) from None


def _show_raw(value: object) -> str:
    """A cell for a CSV: as it is, without thousands separators ("" for none)."""
    return "" if value is None else str(value)


def _show(value: object) -> str:
    """A cell for a person: numbers with thousands separators (``crimestats.numbers``)."""
    return shown(value)


def _emit(out: Console, header: list[str], rows: list[list[str]], fmt: str, title: str) -> None:
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(header)
        writer.writerows(rows)
        out.file.write(buf.getvalue())
        return
    table = Table(title=title)
    for h in header:
        table.add_column(h)
    for r in rows:
        table.add_row(*r)
    out.print(table)
