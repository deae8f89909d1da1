"""Writing an audit event costs the same at the millionth event as at the thousandth.

    .venv/bin/python bench/audit_append.py \
        --small postgres://postgres@127.0.0.1:5432/csphub_audit_1k \
        --large postgres://postgres@127.0.0.1:5432/csphub_scale

Each database is measured in its own fresh process (``--step URL``): the small one is given
1,000 events first if it has fewer (untimed; it must exist and be migrated), then ``--appends``
events are written with ``csphub.audit.record`` — the lock, the head read, the HMAC and the
insert, each its own transaction as a page's event is — and the median and 95th percentile
per append are printed with the large trail's ratio to the small one (the anchor), alternating
small and large ``--rounds`` times so both see the same machine load. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()


def step(appends: int) -> dict[str, float]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
    django.setup()
    from csphub.audit import record
    from csphub.audit import verbs as audit_verbs
    from csphub.audit.models import AuditEvent
    from csphub.audit.selectors import newest_seq

    while AuditEvent.objects.count() < 1_000:
        record(verb=audit_verbs.CASE_VIEWED, target=("panels.case", "bench"))
    for _ in range(20):  # warm the connection and the caches
        record(verb=audit_verbs.CASE_VIEWED, target=("panels.case", "bench"))
    times = []
    for _ in range(appends):
        began = time.perf_counter()
        record(verb=audit_verbs.CASE_VIEWED, target=("panels.case", "bench"))
        times.append(time.perf_counter() - began)
    times.sort()
    return {
        "events": newest_seq(),
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": times[int(len(times) * 0.95)] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", help="DATABASE_URL of the small trail (the anchor)")
    parser.add_argument("--large", help="DATABASE_URL of the large trail")
    parser.add_argument("--appends", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--step", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.appends)))
        return
    runs: dict[str, list[dict[str, float]]] = {"small": [], "large": []}
    for _ in range(args.rounds):
        for label, url in (("small", args.small), ("large", args.large)):
            out = subprocess.run(
                [sys.executable, str(HERE), "--step", "--appends", str(args.appends)],
                env={**os.environ, "DATABASE_URL": url},
                capture_output=True,
                text=True,
                check=True,
            )
            runs[label].append(json.loads(out.stdout.strip().splitlines()[-1]))
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"audit append, {args.appends} events per run, {args.rounds} rounds, load {load}")
    print(f"{'trail':>8} {'events':>10} {'median ms':>10} {'p95 ms':>8}")
    for label, rows in runs.items():
        for r in rows:
            print(f"{label:>8} {r['events']:>10,.0f} {r['median_ms']:>10.2f} {r['p95_ms']:>8.2f}")
    small = statistics.median(r["median_ms"] for r in runs["small"])
    large = statistics.median(r["median_ms"] for r in runs["large"])
    print(f"large / small (median of the medians): {large / small:.2f}x")


if __name__ == "__main__":
    main()
