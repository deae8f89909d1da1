"""Concurrent writers through the services: ``python bench/concurrency.py [--writers 200]
[--seconds 60] [--connections 40] [--seed 15]`` against the database ``DATABASE_URL`` names,
loaded with the demo partnership (``csphub migrate && csphub demo``).

Each writer saves a case (``do_update_case``), an action (``do_update_action``) or a meeting's
minutes (``do_record_minutes``) from the version it read, as a form would, as the user the
rules let edit it; a handful of records are shared by all writers so that saves collide. At
the end it checks, and prints as one JSON line:

- **lost updates**: every save that succeeded produced its own version, the versions of each
  record run without a gap from the first to the stored one, and the stored value is the one
  the save of the newest version wrote; every other attempt was refused as stale
  (``EditConflict``, the 409 on a page);
- **the audit trail**: one event per successful save, the chain verifies (``verify_chain``),
  its numbers have no gap and each event links to the hash of the one before (no fork);
- **PostgreSQL**: no deadlock counted by ``pg_stat_database`` during the run and no lock
  waiting or session idle in a transaction afterwards (``pg_locks``, ``pg_stat_activity``).

Exits 1 if any check fails. Timings are printed, never asserted (docs/performance.md).
The writers share at most ``--connections`` database sessions at once, as behind a pool:
each takes a session for one read-and-save and closes it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")

import django

django.setup()

from django.core.exceptions import PermissionDenied  # noqa: E402
from django.db import connection  # noqa: E402

from csphub.accounts.models import User  # noqa: E402
from csphub.audit.models import AuditEvent  # noqa: E402
from csphub.audit.selectors import verify_chain  # noqa: E402
from csphub.core.concurrency import EditConflict  # noqa: E402
from csphub.meetings import verbs as meeting_verbs  # noqa: E402
from csphub.meetings.models import Action, Meeting  # noqa: E402
from csphub.meetings.selectors import may_update_action, meetings_run_by  # noqa: E402
from csphub.meetings.services import do_record_minutes, do_update_action  # noqa: E402
from csphub.panels import verbs as panel_verbs  # noqa: E402
from csphub.panels.models import Case  # noqa: E402
from csphub.panels.selectors import case_edits_for  # noqa: E402
from csphub.panels.services.casework import do_update_case  # noqa: E402

#: The verb each kind of save writes to the audit trail.
VERBS = {
    "case": str(panel_verbs.CASE_UPDATED),
    "action": str(meeting_verbs.ACTION_UPDATED),
    "meeting": str(meeting_verbs.MINUTES_RECORDED),
}


@dataclass(frozen=True)
class Target:
    kind: str
    pk: Any
    editor_pk: Any


@dataclass
class Tally:
    wins: dict[Target, dict[int, str]] = field(default_factory=lambda: defaultdict(dict))
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def targets(per_kind: int) -> list[Target]:
    """Up to PER_KIND cases, actions and meetings, each with a user the rules let save it."""
    users = list(User.objects.filter(is_active=True).order_by("email"))
    found: list[Target] = []
    for case in Case.objects.order_by("reference"):
        editor = next((u for u in users if "plan" in case_edits_for(u, case)), None)
        if editor and sum(t.kind == "case" for t in found) < per_kind:
            found.append(Target("case", case.pk, editor.pk))
    for action in Action.objects.order_by("pk"):
        editor = next((u for u in users if may_update_action(u, action)), None)
        if editor and sum(t.kind == "action" for t in found) < per_kind:
            found.append(Target("action", action.pk, editor.pk))
    for meeting in Meeting.objects.order_by("pk"):
        editor = next((u for u in users if meetings_run_by(u).filter(pk=meeting.pk)), None)
        if editor and sum(t.kind == "meeting" for t in found) < per_kind:
            found.append(Target("meeting", meeting.pk, editor.pk))
    return found


def save_once(target: Target, token: str) -> int:
    """Read the record as a form would, then save TOKEN into it from that version."""
    actor = User.objects.get(pk=target.editor_pk)
    if target.kind == "case":
        case = Case.objects.select_related("panel").get(pk=target.pk)
        do_update_case(actor=actor, case=case, expected_version=case.version, plan=token)
        return case.version
    if target.kind == "action":
        action = Action.objects.get(pk=target.pk)
        do_update_action(
            actor=actor, action=action, status=action.status, note=token,
            expected_version=action.version,
        )  # fmt: skip
        return action.version
    meeting = Meeting.objects.get(pk=target.pk)
    do_record_minutes(actor=actor, meeting=meeting, minutes=token, expected_version=meeting.version)
    return meeting.version


def stored(target: Target) -> tuple[int, str]:
    if target.kind == "case":
        case = Case.objects.get(pk=target.pk)
        return case.version, case.plan
    if target.kind == "action":
        action = Action.objects.get(pk=target.pk)
        return action.version, action.update_note
    meeting = Meeting.objects.get(pk=target.pk)
    return meeting.version, meeting.minutes


def writer(
    number: int, chosen: list[Target], deadline: float, pool: threading.Semaphore,
    tally: Tally, seed: int,
) -> None:  # fmt: skip
    rng = random.Random(seed * 1000 + number)
    attempt = 0
    while time.monotonic() < deadline:
        target = rng.choice(chosen)
        attempt += 1
        token = f"writer {number} save {attempt}"
        with pool:
            try:
                version = save_once(target, token)
            except EditConflict:
                with tally.lock:
                    tally.counts["refused as stale"] += 1
            except PermissionDenied as exc:  # a rule the targets were chosen to satisfy
                with tally.lock:
                    tally.errors.append(f"{target.kind}: refused: {exc}")
            except Exception as exc:  # every other failure is counted and shown
                with tally.lock:
                    tally.errors.append(f"{target.kind}: {type(exc).__name__}: {exc}")
            else:
                with tally.lock:
                    tally.counts["saved"] += 1
                    if version in tally.wins[target]:
                        tally.errors.append(f"{target.kind} version {version} saved twice")
                    tally.wins[target][version] = token
            finally:
                connection.close()


def pg_state() -> dict[str, int]:
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        (deadlocks,) = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE a.datname = current_database() AND NOT l.granted"
        )
        (waiting,) = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
        )
        (idle_in_transaction,) = cursor.fetchone()
    return {
        "deadlocks": int(deadlocks),
        "locks_waiting": int(waiting),
        "idle_in_transaction": int(idle_in_transaction),
    }


def trail_problems(after_seq: int, saves: int) -> list[str]:
    """What is wrong with the events written after AFTER_SEQ (expected: one per save)."""
    problems: list[str] = []
    report = verify_chain()
    if not report.ok:
        problems.append(f"audit chain broken at #{report.broken_seq}: {report.reason}")
    rows = list(
        AuditEvent.objects.filter(seq__gt=after_seq)
        .order_by("seq")
        .values_list("seq", "prev_hash", "hash", "verb")
    )
    previous = AuditEvent.objects.filter(seq=after_seq).values_list("hash", flat=True).first()
    expected_seq = after_seq + 1
    for seq, prev_hash, digest, _verb in rows:
        if seq != expected_seq:
            problems.append(f"audit gap: #{seq} follows #{expected_seq - 1}")
        if previous is not None and prev_hash != previous:
            problems.append(f"audit fork: #{seq} does not link to #{seq - 1}")
        previous, expected_seq = digest, seq + 1
    written = sum(verb in VERBS.values() for *_, verb in rows)
    if written != saves:
        problems.append(f"{written} save events in the audit trail for {saves} saves")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=40)
    parser.add_argument("--records", type=int, default=3, help="records of each kind shared")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)

    chosen = targets(args.records)
    if not {t.kind for t in chosen} >= set(VERBS):
        raise SystemExit("load the demo partnership first: no case, action or meeting to edit")
    before = {t: stored(t)[0] for t in chosen}
    start_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    pg_before = pg_state()
    connection.close()

    tally = Tally()
    pool = threading.Semaphore(args.connections)
    started = time.monotonic()
    deadline = started + args.seconds
    threads = [
        threading.Thread(target=writer, args=(n, chosen, deadline, pool, tally, args.seed))
        for n in range(args.writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    problems = list(tally.errors[:20])
    lost = 0
    for target in chosen:
        version, value = stored(target)
        wins = tally.wins.get(target, {})
        if sorted(wins) != list(range(before[target] + 1, version + 1)):
            lost += 1
            problems.append(f"{target.kind} {target.pk}: versions saved {sorted(wins)[:5]}…")
        elif wins and value.strip() != wins[version]:
            lost += 1
            problems.append(
                f"{target.kind} {target.pk}: holds a value its newest save did not write"
            )
    problems += trail_problems(start_seq, tally.counts["saved"])
    pg_after = pg_state()
    if pg_after:
        if pg_after["deadlocks"] != pg_before["deadlocks"]:
            problems.append(f"{pg_after['deadlocks'] - pg_before['deadlocks']} deadlock(s)")
        if pg_after["locks_waiting"] or pg_after["idle_in_transaction"]:
            problems.append(f"locks left behind: {pg_after}")
    result = {
        "database": connection.vendor,
        "writers": args.writers,
        "connections": args.connections,
        "seconds": round(elapsed, 1),
        "records": len(chosen),
        "saved": tally.counts["saved"],
        "refused_as_stale": tally.counts["refused as stale"],
        "errors": len(tally.errors),
        "lost_updates": lost,
        "saves_per_second": round(tally.counts["saved"] / elapsed, 1),
        "deadlocks": (pg_after.get("deadlocks", 0) - pg_before.get("deadlocks", 0)),
        "problems": problems,
    }
    print(json.dumps(result))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
